"""Is this node's data protected against a stolen disk? What is wrong, in words, for the
pages' warning strip, `nidaan serve` and `nidaan keys status`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _

from nidaan import keys

DATABASE_NOT_ENCRYPTED = "database_not_encrypted"
KEY_BESIDE_DATA = "key_beside_data"
DATABASE_FILE_PLAIN = "database_file_plain"


def problem_codes(*, read_file: bool = False) -> list[str]:
    """read_file: also look at the database file's first bytes (`nidaan keys status`; a
    page never needs to: a plain file under SQLCipher serves no page)."""
    found = []
    database = keys.database_path()
    if database is not None and not keys.database_encrypted_by_default():
        found.append(DATABASE_NOT_ENCRYPTED)
    elif read_file and database is not None and keys.database_file_state(database) == "plain":
        found.append(DATABASE_FILE_PLAIN)
    try:
        unlocked = keys.unlock()
    except keys.KeyUnavailable:
        return found  # the page could not have been served: nothing more to say
    if not unlocked.protected:
        found.append(KEY_BESIDE_DATA)
    return found


def problems(*, read_file: bool = False) -> list[str]:
    messages = {
        DATABASE_NOT_ENCRYPTED: _(
            "This PC's patient records are NOT encrypted (NIDAAN_DB_ENCRYPTION=off): anyone "
            "who takes the PC or its disk can read them. Remove that setting and run "
            "“nidaan keys encrypt-database”."
        ),
        DATABASE_FILE_PLAIN: _(
            "This PC's database file is still a plain SQLite file from an older Nidaan: stop "
            "Nidaan and run “nidaan keys encrypt-database”."
        ),
        KEY_BESIDE_DATA: _(
            "This set-up is NOT protected: the key that unlocks the patient records is stored "
            "beside them, so anyone who takes the PC or its disk can read them. The "
            "administrator fixes this with “nidaan keys protect” (a passphrase) or “nidaan "
            "keys keyring” (the computer's keyring), and prints the recovery key."
        ),
    }
    return [messages[code] for code in problem_codes(read_file=read_file)]


def is_node() -> bool:
    return bool(settings.NIDAAN_ROLE == "node")


def unlock_at_start(stdout: OutputWrapper, stderr: OutputWrapper) -> None:
    """For `nidaan serve` and `worker`: unlock now, in the main thread (a passphrase is
    asked here, never in a request), say from where, and warn when unprotected."""
    if not is_node():
        return
    unlocked = keys.unlock()
    stdout.write(f"Patient records unlocked ({unlocked.source}).")
    for problem in problems():
        stderr.write(f"WARNING: {problem}")
