#!/usr/bin/env python3
"""Writes the captioned list of the emoji pictures used in README "Your own images".

The pictures come from the npm package emoji-datasource-google 16.0.0 (3,781 PNGs of 64 px with their
skin-tone variants). Every picture is captioned by its category; the list is shuffled with a fixed seed so
that every fifth row (the caption judge's held-out part) samples all categories.

With --skin-tones the list holds only the emoji drawn in the five skin tones (316 people and hands) and
captions each picture by its tone: "yellow skin" (the default picture), "light skin", "medium light skin",
"medium skin", "medium dark skin", "dark skin" (1,896 pictures, six captions of 316 each).

    npm pack emoji-datasource-google@16.0.0 && tar xzf emoji-datasource-google-16.0.0.tgz
    python3 tools/emoji-captions.py package > emoji.csv      # in the folder that holds package/
    python3 tools/emoji-captions.py --skin-tones package > tones.csv

Only the Python standard library is needed. The output names files relative to the folder of emoji.csv.
"""
import json
import random
import sys

CAPTIONS = {
    "People & Body": "a person",
    "Flags": "a flag",
    "Objects": "an object",
    "Symbols": "a symbol",
    "Travel & Places": "a place or vehicle",
    "Smileys & Emotion": "a smiley face",
    "Animals & Nature": "an animal or plant",
    "Food & Drink": "food or drink",
    "Activities": "an activity",
}


TONES = {
    "1F3FB": "light skin",
    "1F3FC": "medium light skin",
    "1F3FD": "medium skin",
    "1F3FE": "medium dark skin",
    "1F3FF": "dark skin",
}


def tone_rows(package):
    with open(f"{package}/emoji.json", encoding="utf-8") as f:
        emoji = json.load(f)
    out = []
    for e in emoji:
        variants = e.get("skin_variations") or {}
        tones = {k: v for k, v in variants.items() if k in TONES and v.get("has_img_google")}
        if not e.get("has_img_google") or len(tones) != len(TONES):
            continue  # only emoji drawn in every tone, so that each caption holds the same emoji
        out.append((f"{package}/img/google/64/{e['image']}", "yellow skin"))
        for k, v in sorted(tones.items()):
            out.append((f"{package}/img/google/64/{v['image']}", TONES[k]))
    random.Random(0).shuffle(out)
    return out


def rows(package):
    with open(f"{package}/emoji.json", encoding="utf-8") as f:
        emoji = json.load(f)
    out = []
    for e in emoji:
        caption = CAPTIONS.get(e["category"])
        if caption is None:  # "Component": skin-tone swatches and hair parts, not pictures of a category
            continue
        if e.get("has_img_google"):
            out.append((f"{package}/img/google/64/{e['image']}", caption))
        for v in (e.get("skin_variations") or {}).values():
            if v.get("has_img_google"):
                out.append((f"{package}/img/google/64/{v['image']}", caption))
    random.Random(0).shuffle(out)
    return out


def main():
    args = sys.argv[1:]
    tones = args[:1] == ["--skin-tones"]
    if tones:
        args = args[1:]
    if len(args) != 1:
        sys.exit("usage: emoji-captions.py [--skin-tones] PACKAGE_FOLDER > emoji.csv")
    print("file,caption")
    for file, caption in (tone_rows if tones else rows)(args[0].rstrip("/")):
        print(f"{file},{caption}")


if __name__ == "__main__":
    main()
