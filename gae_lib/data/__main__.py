"""python -m gae_lib.data fetch [NAME...]  |  python -m gae_lib.data list"""
from __future__ import annotations

import argparse
import sys

from . import DATASETS, DataUnavailableError, data_root, fetch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gae_lib.data",
                                     description="Fetch and verify the book's data sets.")
    sub = parser.add_subparsers(dest="command", required=True)
    get = sub.add_parser("fetch", help="fetch and md5-verify data sets (default: all)")
    get.add_argument("names", nargs="*", choices=[[]] + list(DATASETS), metavar="NAME",
                     help=f"any of: {', '.join(DATASETS)}")
    sub.add_parser("list", help="list the data sets and the cache folder")
    args = parser.parse_args(argv)
    if args.command == "list":
        print(f"cache: {data_root()}")
        print("\n".join(DATASETS))
        return 0
    try:
        fetch(args.names or None)
    except DataUnavailableError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"data ready in {data_root()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
