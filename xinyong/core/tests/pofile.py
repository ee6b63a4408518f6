"""A reader of a gettext catalogue (``.po``), enough to check the project's own: each
entry's flags, msgid (and plural) and translations, the strings' escapes resolved."""

import ast
import re
from dataclasses import dataclass, field

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    line: int  # where the entry starts (1-based), for a message naming it
    flags: set[str] = field(default_factory=set)
    parts: dict[str, str] = field(default_factory=dict)  # keyword → text
    obsolete: bool = False

    @property
    def msgid(self) -> str:
        return self.parts.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [v for k, v in self.parts.items() if k.startswith("msgstr")]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


def _string(literal: str) -> str:
    return ast.literal_eval(literal)  # a C-like string: the same escapes as Python's


def entries(text: str) -> list[Entry]:
    """The catalogue's entries, the header (the empty msgid) included."""
    found: list[Entry] = []
    current: Entry | None = None
    key = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            current, key = None, None
            continue
        if current is None:
            current = Entry(line=n, obsolete=obsolete)
            found.append(current)
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif m := _KEYWORD.match(line):
            key = m.group(1)
            current.parts[key] = _string(m.group(2))
        elif line.startswith('"') and key is not None:
            current.parts[key] += _string(line)
        else:
            raise ValueError(f"line {n}: not understood: {raw!r}")
    return [e for e in found if e.parts]
