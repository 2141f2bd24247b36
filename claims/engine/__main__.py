"""Command-line use of the engine: `python -m claims.engine --help`."""

import argparse
import sys

from claims.engine import cli_checkworthiness, cli_match, cli_stance, cli_suggest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claims.engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    cli_stance.register(commands)
    cli_match.register(commands)
    cli_checkworthiness.register(commands)
    cli_suggest.register(commands)
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
