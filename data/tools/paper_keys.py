"""Adds a `paper_key` column to data/observations.csv and data/qualitative.csv.

One key per paper, so that every row of a paper lands in the same calibration or
held-out set (the split is by paper, not by row). The key is the first author's surname
and the year where the row names them, otherwise the first three words of the title; a
few rows that refer to another row's paper by a short name are mapped to that paper.

Run from the repository root: python3 data/tools/paper_keys.py
"""

import csv
import re

# Rows whose `paper` cell names a paper already present under its full citation.
SAME_PAPER = {
    "Jono 2000 (see OBS) - PFA": "jono2000",
    "Masumoto 2017 (see OBS) - phosphonoformic acid": "masumoto2017",
    "Lomashvili KA et al. Effect of bisphosphonates on vascular calcification and bone metabolism in experimental renal failure": "lomashvili2009",
}

# Papers whose rows give no year: the key adds a word of the title so two papers of one
# first author stay apart.
NO_YEAR = {
    "Villa-Bellosta R, Millan A, Sorribas V.": "villabellosta-calcium-phosphate-deposition",
    "Villa-Bellosta R, Rivera-Torres J,": "villabellosta-progeria-pyrophosphate",
    "Li X, Yang HY, Giachelli CM.": "li-pit1",
    "Xu M, Liu L, Song C,": "xu-ghrelin-autophagy",
    "Masuda M, Miyazaki-Anzai S, Levi M,": "masuda-tnf-perk",
    "Miyazaki-Anzai S et al.": "miyazakianzai-chop-ckd",
    "Rutsch F et al.": "rutsch-npp1-apoe",
    "De Schutter TM,": "deschutter-magnesium-binder",
}

STOP = {"a", "an", "the", "of", "in", "and", "by", "on", "for", "to", "with", "via"}


def paper_key(paper: str, year: str) -> str:
    if paper in SAME_PAPER:
        return SAME_PAPER[paper]
    for start, key in NO_YEAR.items():
        if paper.startswith(start) and not year:
            return key
    # "Surname AB, ..." or "Surname AB et al." or "Surname A, Surname B, ...".
    m = re.match(r"^([A-Z][A-Za-z'\-]+(?:-[A-Z][a-z]+)?) [A-Z]{1,3}[,. ]", paper)
    if m:
        surname = re.sub(r"[^a-z]", "", m.group(1).lower())
        return f"{surname}{year}" if year else surname
    words = [w for w in re.findall(r"[a-z0-9]+", paper.lower()) if w not in STOP]
    slug = "-".join(words[:3])
    return f"{slug}-{year}" if year else slug


def add_keys(path: str) -> None:
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if "paper_key" not in fields:
        fields.insert(fields.index("paper") + 1, "paper_key")
    for row in rows:
        row["paper_key"] = paper_key(row["paper"], row["year"])
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    add_keys("data/observations.csv")
    add_keys("data/qualitative.csv")
