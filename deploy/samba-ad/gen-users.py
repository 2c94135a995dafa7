#!/usr/bin/env python3
"""Generate an LDIF of synthetic AD users (and optionally groups) for the adsync Samba fixture.

Usage:
  gen-users.py --count N --ou DN [--prefix user] [--start 0] [--disabled-percent 10]
               [--specials] [--groups] [--groups-ou DN] [--upn-suffix adsync.test]
               [--mail-domain adsync.test] [--enabled-uac 512] [--password PW] > users.ldif

Users are <prefix><NNNNN> for NNNNN = start .. start+count-1 (zero padded to >= 5 digits):
  dn: CN=<prefix>NNNNN,<ou>   objectClass user   sAMAccountName/userPrincipalName/givenName/sn/
  displayName/mail (mail left out for every 50th user: index % 50 == 49).
  Enabled users get userAccountControl 512 (NORMAL_ACCOUNT; Samba accepts it without a password
  once provision.sh has set the minimum password length to 0).  --disabled-percent of them
  (deterministically spread, exactly N% of every 100 consecutive indices) are disabled, cycling
  through 514 (NORMAL|ACCOUNTDISABLE), 546 (+PASSWD_NOTREQD) and 66050 (+DONT_EXPIRE_PASSWORD).
--specials adds fixed users to the same OU:
  zoe.angstrom  "Zoë Ångström"       (non-ASCII Latin, also in the DN)
  yamada.taro   "山田太郎"             (CJK, also in the DN)
  expired.user  accountExpires in the past (2020-01-01), otherwise enabled
  nomail.user   no mail attribute
--groups adds groups under --groups-ou (default: OU=Groups next to --ou, i.e. --ou with its
  first RDN replaced by OU=Groups):
  <prefix>-all (every generated user + specials), <prefix>-every10 (every 10th user),
  <prefix>-even (even indices), <prefix>-empty (no members), <prefix>-nested (members:
  group <prefix>-every10 + the specials), <prefix>-dist (universal distribution group, every
  3rd user).  Group sAMAccountNames include the prefix so several batches can coexist.
--password PW sets unicodePwd for every user so they can bind (Windows only accepts unicodePwd
  over LDAPS/StartTLS; Samba as configured here takes it on any transport and via seed.sh's
  ldb path).  Makes seeding slower because Samba derives password hashes/Kerberos keys per user.
Output is deterministic for the same arguments.  Python 3 standard library only.
"""
import argparse
import base64
import signal
import sys

GIVEN = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Ivan", "Julia",
         "Karl", "Lena", "Max", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Simon", "Tina",
         "Uwe", "Vera", "Walter", "Xenia", "Yusuf", "Zoe", "René", "Jürgen", "Søren", "Chloé"]
SURNAME = ["Adams", "Becker", "Clark", "Dietrich", "Evans", "Fischer", "Garcia", "Hoffmann",
           "Ito", "Jensen", "Klein", "Lopez", "Meyer", "Novak", "Olsen", "Peters", "Quinn",
           "Richter", "Schmidt", "Tanaka", "Umar", "Vogel", "Weber", "Xu", "Young", "Zimmer",
           "Müller", "Åberg", "Núñez", "O'Brien"]
DISABLED_UAC = [514, 546, 66050]
PAST_FILETIME = 132223104000000000  # 2020-01-01T00:00:00Z as Windows FILETIME (100ns since 1601)
GROUP_GLOBAL_SECURITY = -2147483646
GROUP_UNIVERSAL_DISTRIBUTION = 8


def ldif_line(attr, value):
    """RFC 2849: base64 when not a SAFE-STRING (non-ASCII, leading space/colon/<, trailing space)."""
    if isinstance(value, int):
        value = str(value)
    raw = value.encode("utf-8")
    safe = (all(0x01 <= b <= 0x7F and b not in (0x0A, 0x0D) for b in raw)
            and not value.startswith((" ", ":", "<")) and not value.endswith(" "))
    if safe:
        return f"{attr}: {value}"
    return f"{attr}:: {base64.b64encode(raw).decode('ascii')}"


def bin_line(attr, raw):
    return f"{attr}:: {base64.b64encode(raw).decode('ascii')}"


def escape_rdn(v):
    out = []
    for i, ch in enumerate(v):
        if ch in ',+"\\<>;=' or (ch == "#" and i == 0) or (ch == " " and i in (0, len(v) - 1)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def entry(dn, attrs, out):
    out.write(ldif_line("dn", dn) + "\n")
    for a, vals in attrs:
        if vals is None:
            continue
        if not isinstance(vals, list):
            vals = [vals]
        for v in vals:
            if isinstance(v, bytes):
                out.write(bin_line(a, v) + "\n")
            else:
                out.write(ldif_line(a, v) + "\n")
    out.write("\n")


def unicode_pwd(pw):
    return ('"%s"' % pw).encode("utf-16-le")


DEPARTMENTS = ["Engineering", "Sales", "Finance", "Operations", "Research & Development", "People"]
COMPANIES = ["Adsync Corp", "Adsync GmbH", "Adsync Ltd"]
TITLES = ["Engineer", "Account Manager", "Analyst", "Coordinator", "Scientist", "Partner"]


def org_attributes(i, start, users):
    """Department, title, company, phone and mobile, office, for every 1000th user (k % 1000 == 7) a small
    thumbnailPhoto (2 KiB, deterministic), and the manager (a DN of an earlier user: user (i-1)//5 of this run)."""
    k = i - start
    attrs = [
        ("department", DEPARTMENTS[k % len(DEPARTMENTS)]),
        ("title", ("Head of " + DEPARTMENTS[k % len(DEPARTMENTS)]) if k < 6 else TITLES[k % len(TITLES)]),
        ("company", COMPANIES[k % len(COMPANIES)]),
        ("telephoneNumber", f"+1 555 01{k % 100:02d}"),
        ("mobile", f"+1 555 2{k % 10000:04d}"),
        ("physicalDeliveryOfficeName", f"Building {k % 3 + 1}"),
    ]
    if k % 1000 == 7:
        attrs.append(("thumbnailPhoto", bytes((k * 31 + j) % 256 for j in range(2048))))
    if k > 0:
        attrs.append(("manager", users[(k - 1) // 5][1]))
    return attrs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--ou", required=True, help="DN of the OU the users go to")
    ap.add_argument("--prefix", default="user")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--disabled-percent", type=int, default=10)
    ap.add_argument("--specials", action="store_true")
    ap.add_argument("--groups", action="store_true")
    ap.add_argument("--groups-ou")
    ap.add_argument("--org", action="store_true",
                    help="give users department, title, company, phone, mobile and office (every 1000th a 2 KiB "
                         "thumbnailPhoto), and a manager: a tree in which user i reports to user (i-1)//5, so the first "
                         "user is the root and every manager has up to 5 reports")
    ap.add_argument("--upn-suffix", default="adsync.test")
    ap.add_argument("--mail-domain", default="adsync.test")
    ap.add_argument("--enabled-uac", type=int, default=512)
    ap.add_argument("--password")
    a = ap.parse_args()
    if a.count < 0 or not 0 <= a.disabled_percent <= 100:
        ap.error("bad --count / --disabled-percent")

    out = sys.stdout
    width = max(5, len(str(a.start + max(a.count, 1) - 1)))
    pwd = unicode_pwd(a.password) if a.password else None
    if len(a.prefix) + width > 20:
        ap.error("sAMAccountName would exceed 20 characters; use a shorter --prefix")

    users = []  # (index, dn)
    disabled_seen = 0
    for i in range(a.start, a.start + a.count):
        sam = f"{a.prefix}{i:0{width}d}"
        given = GIVEN[i % len(GIVEN)]
        sn = SURNAME[(i // len(GIVEN)) % len(SURNAME)]
        disabled = (i * 37) % 100 < a.disabled_percent
        if disabled:
            uac = DISABLED_UAC[disabled_seen % len(DISABLED_UAC)]
            disabled_seen += 1
        else:
            uac = a.enabled_uac
        dn = f"CN={escape_rdn(sam)},{a.ou}"
        users.append((i, dn))
        entry(dn, [
            ("objectClass", ["top", "person", "organizationalPerson", "user"]),
            ("cn", sam),
            ("sAMAccountName", sam),
            ("userPrincipalName", f"{sam}@{a.upn_suffix}"),
            ("givenName", given),
            ("sn", sn),
            ("displayName", f"{given} {sn}"),
            ("mail", None if i % 50 == 49 else f"{sam}@{a.mail_domain}"),
            ("employeeID", f"E{i:0{width}d}"),
            ("userAccountControl", uac),
            *(org_attributes(i, a.start, users) if a.org else []),
            ("unicodePwd", pwd),
        ], out)

    specials = []
    if a.specials:
        spec = [
            # sam, cn, given, sn, mail?, extra attrs
            ("zoe.angstrom", "Zoë Ångström", "Zoë", "Ångström", True, []),
            ("yamada.taro", "山田太郎", "太郎", "山田", True, []),
            ("expired.user", "Expired User", "Expired", "User", True,
             [("accountExpires", PAST_FILETIME)]),
            ("nomail.user", "Nomail User", "Nomail", "User", False, []),
        ]
        for sam, cn, given, sn, has_mail, extra in spec:
            dn = f"CN={escape_rdn(cn)},{a.ou}"
            specials.append(dn)
            entry(dn, [
                ("objectClass", ["top", "person", "organizationalPerson", "user"]),
                ("cn", cn),
                ("sAMAccountName", sam),
                ("userPrincipalName", f"{sam}@{a.upn_suffix}"),
                ("givenName", given),
                ("sn", sn),
                ("displayName", cn),
                ("mail", f"{sam}@{a.mail_domain}" if has_mail else None),
                ("userAccountControl", a.enabled_uac),
                ("unicodePwd", pwd),
            ] + extra, out)

    if a.groups:
        gou = a.groups_ou
        if not gou:
            # replace the first RDN of --ou: OU=Users,OU=adsync,... -> OU=Groups,OU=adsync,...
            rest = a.ou.split(",", 1)
            gou = "OU=Groups," + rest[1] if len(rest) == 2 else "OU=Groups," + a.ou
        def g(name, members, gtype=GROUP_GLOBAL_SECURITY, desc=None):
            dn = f"CN={escape_rdn(name)},{gou}"
            entry(dn, [
                ("objectClass", ["top", "group"]),
                ("cn", name),
                ("sAMAccountName", name),
                ("groupType", gtype),
                ("description", desc),
                ("member", members or None),
            ], out)
            return dn
        p = a.prefix
        g(f"{p}-all", [d for _, d in users] + specials, desc="every generated user")
        every10 = g(f"{p}-every10", [d for i, d in users if i % 10 == 0], desc="every 10th user")
        g(f"{p}-even", [d for i, d in users if i % 2 == 0], desc="even-numbered users")
        g(f"{p}-empty", [], desc="no members")
        g(f"{p}-nested", [every10] + specials, desc="nested group + special users")
        g(f"{p}-dist", [d for i, d in users if i % 3 == 0], gtype=GROUP_UNIVERSAL_DISTRIBUTION,
          desc="universal distribution group")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gen-users.py ... | head` must not traceback
    main()
