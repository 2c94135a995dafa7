#!/usr/bin/env bash
# Healthy = the DC answers an anonymous rootDSE search over LDAP and over LDAPS, and the CA certificate clients
# need has been published.
set -euo pipefail
CA_EXPORT=${CA_EXPORT:-/export/ca.pem}
HOST=${1:-127.0.0.1}
q=(ldapsearch -LLL -x -o nettimeout=3 -s base -b '' dnsHostName)
"${q[@]}" -H "ldap://$HOST:389" | grep -q '^dnsHostName: '
# The certificate names the DC (dc1.adsync.test), not the address used here: check only that TLS answers.
LDAPTLS_REQCERT=never "${q[@]}" -H "ldaps://$HOST:636" | grep -q '^dnsHostName: '
[[ -s $CA_EXPORT ]]
