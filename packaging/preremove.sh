#!/bin/sh
# Before the package is removed: stop the service. The data in /var/lib/loa stays.
set -e
if [ -d /run/systemd/system ]; then
	systemctl disable --now loa >/dev/null 2>&1 || true
fi
