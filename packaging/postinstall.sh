#!/bin/sh
# After the package is installed: the loa user, the data folder, systemd.
set -e
mkdir -p /var/lib/loa
if ! getent passwd loa >/dev/null; then
	adduser --system --group --home /var/lib/loa --no-create-home --gecos "Loa ward campaigns" loa >/dev/null
fi
install -d -o loa -g loa -m 0700 /var/lib/loa
chgrp loa /etc/loa/loa.yaml && chmod 0640 /etc/loa/loa.yaml
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	echo "Loa is installed. Next: edit /etc/loa/loa.yaml, add the first administrator with"
	echo "  sudo -u loa loa --config /etc/loa/loa.yaml user add NAME --role admin --full-name \"Full Name\""
	echo "then: sudo systemctl enable --now loa"
fi
