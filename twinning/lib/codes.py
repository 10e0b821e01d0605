"""Random public codes for URLs, so no page reveals a sequential id."""

import secrets

# No 0/o, 1/l/i: codes are sometimes read aloud or typed from paper.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
