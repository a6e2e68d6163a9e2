#!/bin/sh
# Smoke-test the release binaries in $1: `loa version` and `loa demo seed`
# on a fresh database, for each binary this machine can run.
set -u
dist=${1:-dist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

try() { # name, runner...
	name=$1; shift
	dir="$work/$name"; mkdir -p "$dir"
	# The server's configuration as the package installs it, on a fresh database.
	sed "s#/var/lib/loa#$dir#g" packaging/loa.yaml > "$dir/loa.yaml"
	if out=$("$@" version 2>&1) && echo "$out" | grep -q '^loa ' &&
		seed=$("$@" --config "$dir/loa.yaml" demo seed 2>&1) && echo "$seed" | grep -q .; then
		echo "ok    $name: $out"
	else
		echo "FAIL  $name: $out $seed"
		status=1
	fi
}

try linux-amd64 "$dist/loa-linux-amd64"
if command -v qemu-aarch64 >/dev/null && [ -d /usr/aarch64-linux-gnu ]; then
	try linux-arm64 qemu-aarch64 -L /usr/aarch64-linux-gnu "$dist/loa-linux-arm64"
else
	echo "skip  linux-arm64: no qemu-aarch64 or aarch64 libc (apt-get install qemu-user libc6-arm64-cross)"
fi
if command -v wine >/dev/null; then
	# Go needs bcryptprimitives.dll, which Wine has since 9.0; older Wine
	# (Debian 12 has 8.0) cannot start any recent Go program.
	if WINEDEBUG=-all wine "$dist/loa-windows-amd64.exe" version 2>&1 </dev/null | grep -q 'bcryptprimitives.dll not found'; then
		echo "skip  windows-amd64: this Wine ($(wine --version 2>/dev/null)) lacks bcryptprimitives.dll, which Go programs need"
	else
		WINEDEBUG=-all try windows-amd64 wine "$dist/loa-windows-amd64.exe"
	fi
else
	echo "skip  windows-amd64: no wine"
fi
exit $status
