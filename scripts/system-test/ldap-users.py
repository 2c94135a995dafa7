#!/usr/bin/env python3
"""Reads `ldapsearch -LLL -o ldif-wrap=no` output (objectGUID, sAMAccountName, userAccountControl,
accountExpires) on stdin and prints one line per entry: canonical objectGUID <TAB> sAMAccountName <TAB> t|f,
where the last column is what adsync's engine should store as `active`: not disabled
(userAccountControl & 0x2 == 0) and not expired (accountExpires 0, absent or 0x7FFFFFFFFFFFFFFF mean never).
The objectGUID is printed the way Windows, samba-tool and PostgreSQL print it (Data1-3 little-endian)."""
import base64
import sys
import time
import uuid

NEVER = 0x7FFFFFFFFFFFFFFF
FILETIME_UNIX_EPOCH = 116444736000000000
now_ft = int(time.time() * 10_000_000) + FILETIME_UNIX_EPOCH


def value(line):
    name, sep, rest = line.partition(":")
    if rest.startswith(":"):
        return name, base64.b64decode(rest[1:].strip())
    return name, rest.strip().encode()


def emit(entry):
    if "objectGUID" not in entry:
        return
    guid = uuid.UUID(bytes_le=entry["objectGUID"])
    uac = int(entry.get("userAccountControl", b"0"))
    exp = int(entry.get("accountExpires", b"0"))
    expired = exp not in (0, NEVER) and exp < now_ft
    active = (uac & 0x2) == 0 and not expired
    sam = entry.get("sAMAccountName", b"").decode("utf-8")
    print(f"{guid}\t{sam}\t{'t' if active else 'f'}")


entry = {}
for raw in sys.stdin:
    line = raw.rstrip("\n")
    if not line:
        emit(entry)
        entry = {}
        continue
    if line.startswith("#") or line.startswith("dn:"):
        continue
    name, val = value(line)
    entry[name] = val
emit(entry)
