"""`nidaan keys …`: the node's master key and its encrypted database, for people.

status            where the key comes from, and whether the data is protected
recovery          print the recovery key (for paper, in the clinic's safe)
protect           add a passphrase (asked, or NIDAAN_KEY_PASSPHRASE); the key leaves
                  the file; a keyring slot stays
keyring           keep the key in the OS keyring (restarts unlock by themselves)
recover           with the printed recovery key, make a new key file (lost passphrase,
                  new OS, deleted key file); `--keyring` and/or a passphrase
encrypt-database  convert a plain SQLite database made before encryption was the default
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nidaan import keys
from nidaan.keys import keyfile, os_keyring, protection


class Command(BaseCommand):
    help = (
        "status | recovery | protect | keyring | recover | encrypt-database: the key that "
        "unlocks this node's patient records (docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what",
            choices=["status", "recovery", "protect", "keyring", "recover", "encrypt-database"],
        )
        parser.add_argument(
            "--recovery-key",
            help="recover: the printed recovery key (else NIDAAN_MASTER_KEY, else asked)",
        )
        parser.add_argument(
            "--keyring", action="store_true", help="recover: keep the key in the OS keyring"
        )
        parser.add_argument(
            "--passphrase", action="store_true", help="recover: protect with a passphrase"
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="encrypt-database: do nothing (and succeed) when there is nothing to convert",
        )
        parser.add_argument(
            "--unprotected",
            action="store_true",
            help="recover: write the key in plain beside the data (not protected)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        try:
            if what == "recover":
                self._recover(options)
            elif what == "encrypt-database":
                self._encrypt_database(if_needed=options["if_needed"])
            else:
                getattr(self, "_" + what)()
        except keys.KeyUnavailable as error:
            raise CommandError(str(error)) from error
        except os_keyring.KeyringUnavailable as error:
            raise CommandError(f"{error}. Use `nidaan keys protect` (a passphrase)") from error

    # --- reports ---------------------------------------------------------------------

    def _status(self) -> None:
        unlocked = keys.unlock()
        self.stdout.write(f"Key file: {unlocked.path}")
        self.stdout.write(
            f"Master key from: {unlocked.source}, id {keys.fingerprint(unlocked.key)}"
        )
        stored = keyfile.read(unlocked.path)
        if stored is not None and stored.form == keyfile.SLOTS:
            slots = [
                name
                for name, on in (
                    ("OS keyring", stored.keyring_entry),
                    ("passphrase", stored.sealed),
                )
                if on
            ]
            self.stdout.write(f"Slots in the key file: {', '.join(slots)}")
        try:
            self.stdout.write(f"OS keyring: {os_keyring.backend_name()}")
        except os_keyring.KeyringUnavailable as error:
            self.stdout.write(f"OS keyring: none ({error})")
        database = keys.database_path()
        if database is not None:
            self.stdout.write(
                f"Database: {database} ({keys.database_file_state(database)}; "
                f"NIDAAN_DB_ENCRYPTION={settings.NIDAAN_DB_ENCRYPTION})"
            )
        found = protection.problems(read_file=True)
        for problem in found:
            self.stdout.write(self.style.WARNING(problem))
        if not found:
            self.stdout.write("Protected: a stolen copy of the data directory reveals nothing.")

    def _recovery(self) -> None:
        master = keys.master_key()
        self.stdout.write(
            "Recovery key: write it down or print it, keep it in the clinic's safe, away "
            "from the PC. Whoever holds it can read this clinic's records and backups."
        )
        self.stdout.write(keys.recovery_text(master))

    # --- protecting the key ----------------------------------------------------------

    def _new_passphrase(self) -> str:
        passphrase = os.environ.get("NIDAAN_KEY_PASSPHRASE", "")
        if not passphrase:
            if not sys.stdin.isatty():
                raise CommandError("set NIDAAN_KEY_PASSPHRASE, or run this at a terminal")
            passphrase = getpass.getpass("New passphrase (12 or more characters): ")
            if getpass.getpass("The same passphrase again: ") != passphrase:
                raise CommandError("the two passphrases differ; nothing changed")
        if len(passphrase) < keys.MIN_PASSPHRASE:
            raise CommandError(f"a passphrase has at least {keys.MIN_PASSPHRASE} characters")
        return passphrase

    def _write(self, master: bytes, *, keyring: bool, passphrase: str | None) -> None:
        path = keys.key_file()
        keyfile.replace(path, keys.slots_for(master, keyring=keyring, passphrase=passphrase))
        keys.forget_unlocked()

    def _protect(self) -> None:
        unlocked = keys.unlock()
        stored = keyfile.read(unlocked.path)
        keep_keyring = bool(stored and stored.keyring_entry)
        self._write(unlocked.key, keyring=keep_keyring, passphrase=self._new_passphrase())
        self.stdout.write(
            f"{unlocked.path} now holds no key: the passphrase unlocks it"
            + (" (and the OS keyring, first)" if keep_keyring else "")
            + ". `nidaan serve` and `nidaan worker` ask for it at start; a service gets it "
            "from NIDAAN_KEY_PASSPHRASE. Print the recovery key too: `nidaan keys recovery`."
        )

    def _keyring(self) -> None:
        unlocked = keys.unlock()
        stored = keyfile.read(unlocked.path)
        sealed = stored.sealed if stored is not None else b""
        name = os_keyring.backend_name()
        path = keys.key_file()
        fresh = keys.slots_for(unlocked.key, keyring=True, passphrase=None)
        keyfile.replace(
            path,
            keyfile.KeyFile(
                keyfile.SLOTS,
                key_id=fresh.key_id,
                keyring_entry=fresh.keyring_entry,
                sealed=sealed if stored is not None and stored.form != keyfile.PLAIN else b"",
            ),
        )
        keys.forget_unlocked()
        self.stdout.write(
            f"The key is in the OS keyring ({name}, service {os_keyring.SERVICE!r}, entry "
            f"{fresh.keyring_entry!r}); {path} holds no key. Nidaan unlocks by itself when "
            "started as this user while the keyring is open. Print the recovery key too: "
            "`nidaan keys recovery`."
        )

    def _recover(self, options: dict[str, Any]) -> None:
        text = options["recovery_key"] or os.environ.get("NIDAAN_MASTER_KEY", "")
        if not text:
            if not sys.stdin.isatty():
                raise CommandError("give --recovery-key (or NIDAAN_MASTER_KEY)")
            text = getpass.getpass("Recovery key (13 groups of 4 letters): ")
        master = keys.from_recovery_text(text)
        self._check_opens_database(master)
        if not (options["keyring"] or options["passphrase"] or options["unprotected"]):
            raise CommandError("say how to keep the key: --keyring, --passphrase or both")
        passphrase = self._new_passphrase() if options["passphrase"] else None
        path = keys.key_file()
        if options["keyring"] or passphrase:
            stored = keys.slots_for(master, keyring=options["keyring"], passphrase=passphrase)
        else:
            stored = keys.plain_for(master)
        keyfile.replace(path, stored)
        keys.forget_unlocked()
        self.stdout.write(f"Recovered: {path} is new, key id {keys.fingerprint(master)}.")
        if not stored.protected:
            self.stdout.write(self.style.WARNING("The key is stored in plain: NOT protected."))

    def _check_opens_database(self, master: bytes) -> None:
        database = keys.database_path()
        if database is None or keys.database_file_state(database) != "encrypted":
            return
        from nidaan.keys.sqlcipher.base import Cipher, connect

        db = connect(database, master)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except Cipher.DatabaseError:
            raise CommandError(
                f"this recovery key does not open {database}: check the letters, or find "
                "the recovery key printed for this PC"
            ) from None
        finally:
            db.close()

    # --- the database ----------------------------------------------------------------

    def _encrypt_database(self, *, if_needed: bool) -> None:
        from nidaan.keys.sqlcipher.convert import ConversionRefused, encrypt_database

        database = keys.database_path()
        if database is None:
            raise CommandError("this node's database is not an SQLite file")
        if not keys.database_encrypted_by_default():
            raise CommandError("NIDAAN_DB_ENCRYPTION=off: remove that setting first")
        from nidaan.keys.sqlcipher.convert import finish_interrupted

        def progress(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        finish_interrupted(database, progress)
        if if_needed and keys.database_file_state(database) != "plain":
            return
        keys.master_key()  # unlock (or make the key) before the long part
        try:
            result = encrypt_database(database, progress)
        except ConversionRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Encrypted: {result.tables} tables, {result.rows:,} rows, "
            f"{result.size / 1e6:,.1f} MB in {result.seconds:.1f} s."
        )
        for problem in protection.problems():
            self.stdout.write(self.style.WARNING(problem))
