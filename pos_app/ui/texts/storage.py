"""Templates for storage messages (pos_app/storage/lock.py, backup.py, checks.py)."""

from __future__ import annotations

from pos_app.domain.text import MessageKey
from pos_app.storage.backup import BackupText
from pos_app.storage.checks import CheckText
from pos_app.storage.lock import LockText
from pos_app.ui.texts import QT_TRANSLATE_NOOP

TEMPLATES: dict[MessageKey, object] = {  # QT_TRANSLATE_NOOP returns its source
    LockText.INSTANCE_RUNNING: QT_TRANSLATE_NOOP(
        "Message", "Another till is already running on {data_dir} ({holder}): close it first"),
    LockText.LOCK_FAILED: QT_TRANSLATE_NOOP(
        "Message", "Cannot lock the data folder {data_dir}: {reason}"),
}
TEMPLATES.update({
    CheckText.FOLDER_UNWRITABLE: QT_TRANSLATE_NOOP(
        "Message", "Cannot create or write the folder {folder}: {reason}"),
    CheckText.DATABASE_READ_ONLY: QT_TRANSLATE_NOOP(
        "Message", "The database {path} cannot be written ({reason}): sales stay closed "
        "until it can"),
})
TEMPLATES.update({
    BackupText.FAILED: QT_TRANSLATE_NOOP("Message", "Backup to {folder} failed: {reason}"),
    BackupText.DAMAGED: QT_TRANSLATE_NOOP(
        "Message", "{path} is not a usable backup ({reason}): nothing was restored"),
    BackupText.DONE: QT_TRANSLATE_NOOP("Message", "Backup written and verified: {path}"),
    BackupText.RESTORED: QT_TRANSLATE_NOOP(
        "Message", "Restored from {path}; the previous database is kept as {kept}"),
})
