"""The roadmap's items, indexed: each topic's five examples and ten interview questions, in order.

Every kata stands for one roadmap item (e01–e05: the examples of its section, q01–q10: its interview questions)
and names it in `kata.toml`'s `source`. `graders/dev/roadmap.json` holds the index, made from the roadmap text by
`python -m graders.dev.roadmap PATH/roadmap.txt`, so the check needs no file outside the repository.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from graders.catalog import TOPICS

INDEX = Path(__file__).with_name("roadmap.json")
_CODE = re.compile(r"[=(){}\[\]:]|^(from|import|def|class|return|print|for|if|with)\b|\.py$|^[a-z_]+\.")


def normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def _example_titles(block: str) -> list[str]:
    """Titles in an Examples block: `#### Title`, or a capitalised prose line followed by a blank line."""
    lines = block.splitlines()
    titles = []
    for index, line in enumerate(lines):
        text = line.strip()
        if text.startswith("#### "):
            titles.append(text[5:].strip())
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        prose = not _CODE.search(text) or re.match(r"^[A-Z].*\(.*\)$", text)
        if text and not text.startswith("#") and not following and text[0].isupper() and prose:
            titles.append(text)
    return titles


def parse(text: str) -> dict[str, dict]:
    main, _, interview = text.partition("\n# Interview Questions")
    sections = re.split(r"\n## (\d)\. ", main)
    index: dict[str, dict] = {}
    for number in range(1, len(sections), 2):
        body = sections[number + 1]
        examples = body.split("### Examples:", 1)[1] if "### Examples:" in body else ""
        topic = TOPICS[int(sections[number]) - 1]
        index[topic] = {"section": body.splitlines()[0].strip(), "examples": _example_titles(examples)}
    # In the questions part a section heading is a `## N.` line directly followed by question `## 1.`.
    headings = list(re.finditer(r"^## (\d+)\. (.+)\n(?=## 1\. )", interview, re.MULTILINE))
    for position, heading in enumerate(headings):
        end = headings[position + 1].start() if position + 1 < len(headings) else len(interview)
        block = interview[heading.end() : end]
        questions = [m.group(2).strip() for m in re.finditer(r"^## (\d+)\. (.+)$", block, re.MULTILINE)]
        index[TOPICS[position]]["questions"] = questions
    return index


def load() -> dict[str, dict]:
    return json.loads(INDEX.read_text(encoding="utf-8"))


def expected_item(index: dict[str, dict], topic: str, kata_id: str) -> str:
    """The roadmap item a kata id stands for: `example “…”` or `interview question N “…”`."""
    number = int(kata_id[1:])
    if kata_id.startswith("e"):
        return f"example “{index[topic]['examples'][number - 1]}”"
    return f"interview question {number} “{index[topic]['questions'][number - 1]}”"


_CONNECTIVES = {"vs", "versus", "and", "or", "the", "a", "an"}


def names_its_item(source: str, index: dict[str, dict], topic: str, kata_id: str) -> bool:
    """`source` names the section and the item its id stands for: an example by its exact title, a question
    by its number and a quotation whose words all come from the question (shortened quotes are fine)."""
    text = normalise(source)
    number = int(kata_id[1:])
    if f"§{TOPICS.index(topic) + 1} " not in text:
        return False
    if kata_id.startswith("e"):
        return f'example "{normalise(index[topic]["examples"][number - 1])}"' in text
    quoted = re.search(rf'interview question {number} "([^"]+)"', text)
    if quoted is None:
        return False
    question = normalise(index[topic]["questions"][number - 1]).lower()
    words = set(re.findall(r"[a-z0-9_]+", quoted.group(1).lower())) - _CONNECTIVES
    return bool(words) and words <= set(re.findall(r"[a-z0-9_]+", question))


def main(argv: list[str]) -> int:
    source = Path(argv[0] if argv else "../shared/roadmap.txt")
    index = parse(source.read_text(encoding="utf-8"))
    for topic, entry in index.items():
        if len(entry["examples"]) != 5 or len(entry.get("questions", [])) != 10:
            print(f"{topic}: {len(entry['examples'])} examples, {len(entry.get('questions', []))} questions")
            return 1
    INDEX.write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {INDEX}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
