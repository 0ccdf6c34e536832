"""Password hashing (argon2id via argon2-cffi) and the password policy.

Hashes carry their own parameters, so raising the cost later only needs
`needs_rehash()` at the next log-in. Unknown usernames are verified against a
dummy hash, so a failed log-in costs the same whether the account exists or not.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # a bound on work per attempt, far above any real passphrase

# Replaceable (tests use a cheaper one); argon2-cffi's defaults follow RFC 9106.
hasher = PasswordHasher()


class PasswordPolicyError(ValueError):
    """The password does not meet the policy; the message says why."""


def check_policy(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"the password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"the password may have at most {MAX_LENGTH} characters")
    if username and password.strip().lower() == username.strip().lower():
        raise PasswordPolicyError("the password must not be the username")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """True when the password matches; never raises for a wrong or malformed hash."""
    try:
        return hasher.verify(stored_hash, password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=4)
def _dummy_hash(_params: tuple[int, ...]) -> str:
    return hasher.hash("no such account: constant work")


def verify_dummy(password: str) -> None:
    """Spend the same work as a real verification (unknown user, locked account)."""
    params = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    verify(_dummy_hash(params), password)
