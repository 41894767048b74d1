"""Plain, checked library data: what files parse into and what the database exports."""

from dataclasses import dataclass, field

from governance.library.schema import SCHEMAS


class LibraryError(Exception):
    """Raised with every problem found, each naming the file and the record."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Location:
    path: str
    index: int  # 1-based position of the record in its file
    key: str = ""

    def __str__(self):
        where = f"{self.path}: record {self.index}"
        return f"{where} ({self.key})" if self.key else where


@dataclass
class LibraryData:
    """Records by model name, then by natural key, each a dict of fields in schema order."""

    records: dict = field(default_factory=lambda: {name: {} for name in SCHEMAS})

    def of(self, model):
        return self.records[model]

    @property
    def releases(self):
        return self.records["governance.release"]

    @property
    def themes(self):
        return self.records["governance.theme"]

    @property
    def instruments(self):
        return self.records["governance.instrument"]

    @property
    def principles(self):
        return self.records["governance.principle"]

    @property
    def items(self):
        return self.records["governance.checklistitem"]

    def counts(self):
        return {
            "releases": len(self.releases),
            "themes": len(self.themes),
            "instruments": len(self.instruments),
            "principles": len(self.principles),
            "items": len(self.items),
            "links": sum(len(i["principles"]) for i in self.items.values()),
        }
