#!/usr/bin/python3
# Usage: ldb-load.py --dir DIR [--ignore-existing] [--continue] [--batch N] [--no-batch-mode] LDIF_FILE|-
#
# Loads an LDIF (changetype add [default], modify, delete) straight into DIR/private/sam.ldb
# through Samba's own dsdb module stack (the same code path `samba-tool ... -H sam.ldb` uses), so
# objectGUID/objectSid/uSNCreated/uSNChanged/whenCreated/replication metadata are all generated
# exactly as for an LDAP add.  Works whether the DC is running or not (tdb locking).
# Must run with Debian's /usr/bin/python3 (python3-samba).  Used by provision.sh and seed.sh.
#
# Speed: ldb's "batch_mode" (what `samba-tool domain join` uses) skips the per-operation nested
# sub-transaction, which otherwise copies every touched index list (objectClass=user etc. grow
# with the directory) on each add; that is ~5x faster.  The price: in batch mode a failed
# operation dooms the whole transaction, so --continue turns batch mode off.
import argparse
import sys
import time

import ldb
from samba import param
from samba.auth import system_session
from samba.samdb import SamDB


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True, help="DC directory created by provision.sh")
    ap.add_argument("--ignore-existing", action="store_true",
                    help="skip adds whose DN already exists")
    ap.add_argument("--continue", dest="cont", action="store_true",
                    help="report failing entries and carry on (like ldapadd -c)")
    ap.add_argument("--batch", type=int, default=1000,
                    help="entries per transaction (default 1000)")
    ap.add_argument("--no-batch-mode", action="store_true",
                    help="do not use ldb batch_mode (implied by --continue)")
    ap.add_argument("ldif")
    a = ap.parse_args()

    lp = param.LoadParm()
    lp.load(f"{a.dir}/etc/smb.conf")
    options = []
    if not (a.cont or a.no_batch_mode):
        options = ["batch_mode:1", "transaction_index_cache_size:200000"]
    db = SamDB(url=f"{a.dir}/private/sam.ldb", lp=lp, session_info=system_session(),
               options=options or None)

    text = sys.stdin.read() if a.ldif == "-" else open(a.ldif, encoding="utf-8").read()
    t0 = time.monotonic()
    done = skipped = failed = committed = 0
    in_tx = 0

    def commit():
        nonlocal in_tx, committed
        if in_tx:
            in_tx = 0
            db.transaction_commit()
            committed = done

    def cancel():
        try:
            db.transaction_cancel()
        except ldb.LdbError:
            pass

    try:
        for changetype, msg in db.parse_ldif(text):
            if not in_tx:
                db.transaction_start()
            in_tx += 1
            try:
                if changetype == ldb.CHANGETYPE_NONE or changetype == ldb.CHANGETYPE_ADD:
                    if a.ignore_existing:
                        try:
                            db.search(base=msg.dn, scope=ldb.SCOPE_BASE, attrs=["1.1"])
                            skipped += 1
                            continue
                        except ldb.LdbError as e:
                            if e.args[0] != ldb.ERR_NO_SUCH_OBJECT:
                                raise
                    db.add(msg)
                elif changetype == ldb.CHANGETYPE_MODIFY:
                    db.modify(msg)
                elif changetype == ldb.CHANGETYPE_DELETE:
                    db.delete(msg.dn)
                else:
                    raise RuntimeError(f"unsupported changetype {changetype} for {msg.dn}")
                done += 1
            except ldb.LdbError as e:
                if not a.cont:
                    print(f"ldb-load: {msg.dn}: {e.args[1] if len(e.args) > 1 else e}", file=sys.stderr)
                    raise
                failed += 1
                print(f"ldb-load: skipped {msg.dn}: {e.args[1] if len(e.args) > 1 else e}", file=sys.stderr)
            if in_tx >= a.batch:
                commit()
        commit()
    except ldb.LdbError as e:
        cancel()
        print(f"ldb-load: aborted ({e.args[-1]}); the failing batch was rolled back, "
              f"{committed} entries from earlier batches stay committed", file=sys.stderr)
        return 1
    except BaseException:
        cancel()
        raise
    dt = time.monotonic() - t0
    rate = done / dt if dt > 0 else 0.0
    print(f"ldb-load: {done} applied, {skipped} already present, {failed} failed "
          f"in {dt:.1f}s ({rate:.0f} entries/s)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
