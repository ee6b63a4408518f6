"""The double-random draw (双随机) as pure functions, so that anyone can re-implement it
and check a published draw. Nothing here reads the database: the plan's frozen candidate
list, its frozen inspector pools and exclusions, and the seed go in; the tasks come out.

The algorithm (docs/architecture.md, "Verifiable double-random draw"):

1. ``seed`` is 32 random bytes, written as 64 lowercase hex characters; before the draw
   only ``sha256(seed bytes)`` (hex) is published.
2. ``r(label, i) = int(HMAC-SHA256(key = seed bytes, message = "<label>:<i>" in UTF-8))``,
   the 32-byte digest read as a big-endian unsigned integer.
3. ``pick(label, n, k)``: the first ``k`` positions of a Fisher–Yates shuffle of
   ``0 … n-1`` — for ``i`` = 0 … k-1, ``j = i + r(label, i) mod (n - i)``, swap the
   positions ``i`` and ``j``; the positions ``0 … k-1`` then hold the picks, in order.
4. Subjects, per class ``c`` in A, B, C, D: the candidates of class ``c`` in increasing
   subject id; ``k = ceil(n × p / 100)`` with ``n`` their number and ``p`` the plan's
   whole-percent ratio for ``c``; the tasks are ``pick("class:<c>", n, k)``, in that order.
5. Inspectors, per task (subject ``s``) and per department of the plan (by department
   code): the department's frozen pool in increasing inspector id, less the inspectors
   excluded for ``s`` (declared conflict, last inspector); the plan's ``m`` inspectors per
   department are ``pick("task:<s>:department:<code>", len(pool), m)``.

Only ``k`` (and ``m`` per task) hashes are computed, however many candidates: a draw of
10,000 tasks from a million subjects reads 10,000 rows by their position.

Digests (published before the draw): ``candidates`` = SHA-256 of the lines
``<subject id>,<class>\\n`` by increasing subject id; ``pool`` = SHA-256 of the lines
``inspector,<department code>,<inspector id>\\n`` by department code then id, followed by
``exclude,<subject id>,<inspector id>\\n`` by subject id then inspector id (each pair once)."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

CLASSES = ("A", "B", "C", "D")


def new_seed() -> str:
    """A fresh secret seed (64 hex characters)."""
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    return hashlib.sha256(bytes.fromhex(seed)).hexdigest()


def quota(n: int, percent: int) -> int:
    """``ceil(n × percent / 100)`` in integers."""
    return (n * percent + 99) // 100


def pick(key: bytes, label: str, n: int, k: int) -> list[int]:
    """The first ``k`` positions of the seeded Fisher–Yates shuffle of ``range(n)`` (step 3
    of the module's docstring); the shuffle is kept sparse, so it costs ``k``, not ``n``."""
    k = min(k, n)
    moved: dict[int, int] = {}
    out = []
    prefix = label.encode() + b":"
    for i in range(k):
        r = int.from_bytes(hmac.digest(key, prefix + b"%d" % i, "sha256"), "big")
        j = i + r % (n - i)
        out.append(moved.get(j, j))
        moved[j] = moved.get(i, i)
    return out


def candidates_digest(rows: Iterable[tuple[int, str]]) -> str:
    """Of ``(subject id, class)`` rows given in increasing subject id."""
    h = hashlib.sha256()
    for subject_id, klass in rows:
        h.update(f"{subject_id},{klass}\n".encode())
    return h.hexdigest()


def pool_lines(pools: dict[str, list[int]], excluded: dict[int, set[int]]):
    """The frozen pools and exclusions as the lines their digest is taken of."""
    for code in sorted(pools):
        for inspector_id in sorted(pools[code]):
            yield f"inspector,{code},{inspector_id}\n"
    for subject_id in sorted(excluded):
        for inspector_id in sorted(excluded[subject_id]):
            yield f"exclude,{subject_id},{inspector_id}\n"


def pool_digest(pools: dict[str, list[int]], excluded: dict[int, set[int]]) -> str:
    h = hashlib.sha256()
    for line in pool_lines(pools, excluded):
        h.update(line.encode())
    return h.hexdigest()


@dataclass(frozen=True)
class DrawnTask:
    subject_id: int
    klass: str
    inspectors: dict[str, tuple[int, ...]] = field(default_factory=dict)  # department → ids


class TooFewInspectors(Exception):
    """After exclusions a department has fewer eligible inspectors for a drawn subject
    than the plan assigns: the draw is refused (declare more inspectors, or fewer per task)."""

    def __init__(self, subject_id: int, department: str, eligible: int):
        super().__init__(f"subject {subject_id}: {eligible} eligible in {department}")
        self.subject_id, self.department, self.eligible = subject_id, department, eligible


def subject_picks(seed: str, counts: dict[str, int], ratios: dict[str, int]) -> dict[str, list]:
    """Per class, the drawn positions in the class's candidates by subject id (step 4)."""
    key = bytes.fromhex(seed)
    return {
        c: pick(key, f"class:{c}", counts.get(c, 0), quota(counts.get(c, 0), int(ratios.get(c, 0))))
        for c in CLASSES
    }


def assign(
    seed: str, subject_id: int, pools: dict[str, list[int]], banned, per_department: int
) -> dict[str, tuple[int, ...]]:
    """The inspectors of one task, per department (step 5). ``pools``: each department's
    inspector ids in increasing order."""
    key = bytes.fromhex(seed)
    out = {}
    for code in sorted(pools):
        eligible = [i for i in pools[code] if i not in banned]
        if len(eligible) < per_department:
            raise TooFewInspectors(subject_id, code, len(eligible))
        chosen = pick(key, f"task:{subject_id}:department:{code}", len(eligible), per_department)
        out[code] = tuple(eligible[p] for p in chosen)
    return out


def run(
    *,
    seed: str,
    candidates: Iterable[tuple[int, str]],
    ratios: dict[str, int],
    pools: dict[str, list[int]],
    excluded: dict[int, set[int]],
    per_department: int,
) -> list[DrawnTask]:
    """The whole draw from the full frozen list (``(subject id, class)`` rows, any order):
    what a verifier runs. The service draws the same picks reading only the rows drawn."""
    by_class: dict[str, list[int]] = {c: [] for c in CLASSES}
    for subject_id, klass in candidates:
        by_class[klass].append(subject_id)
    for ids in by_class.values():
        ids.sort()
    picks = subject_picks(seed, {c: len(v) for c, v in by_class.items()}, ratios)
    pools = {code: sorted(ids) for code, ids in pools.items()}
    tasks = []
    for klass in CLASSES:
        for position in picks[klass]:
            subject_id = by_class[klass][position]
            inspectors = assign(
                seed, subject_id, pools, excluded.get(subject_id, ()), per_department
            )
            tasks.append(DrawnTask(subject_id, klass, inspectors))
    return tasks
