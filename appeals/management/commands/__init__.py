"""The portal's management commands."""

from __future__ import annotations

import getpass
import os
import socket


def command_origin(command: str) -> str:
    """How the audit trail names a command run with no portal account: the command,
    the operating-system user and the host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid {os.getuid()}"
    return f"manage.py {command}, as {user} on {socket.gethostname()}"
