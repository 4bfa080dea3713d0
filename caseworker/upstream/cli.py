"""`caseworker-upstream`: run the county intake server."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from caseworker import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="caseworker-upstream")
    parser.add_argument("--version", action="version", version=f"caseworker-upstream {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the intake API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    args = parser.parse_args(argv)
    try:
        import uvicorn

        from caseworker.upstream.app import create_app
    except ImportError:
        print(
            "缺少服务器组件：请安装 caseworker[upstream]。\n"
            "The server parts are not installed: pip install 'caseworker[upstream]'.",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
