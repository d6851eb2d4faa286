#!/usr/bin/env python3
"""Local AWS emulator for the acceptance tests: moto's server plus PrivateLink.

Serves moto's multi-service app (EC2, ELBv2, STS, ...) on one loopback port,
with EC2 PrivateLink consumer behaviour patched in (privatelink_patches) and a
request log / control API under /_emulator/ (request_log).

Prints exactly one line to stdout once it accepts connections:
    EMULATOR_READY http://127.0.0.1:<port>
Everything else goes to stderr.
"""

import argparse
import ipaddress
import logging
import os
import signal
import sys
import threading
import time

# This directory sits in a Go source tree: keep it free of __pycache__.
sys.dont_write_bytecode = True


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--available-after", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument("--delete-after", type=float, default=1.0, metavar="SECONDS")
    parser.add_argument(
        "--watch-stdin", action="store_true", help="exit when stdin reaches EOF"
    )
    parser.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="allow --host to be a non-loopback address (moto has no auth)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.available_after < 0 or args.delete_after < 0:
        parser.error("delays must be >= 0")
    if not args.allow_non_loopback and not _is_loopback(args.host):
        parser.error(f"--host {args.host} is not a loopback address; "
                     "pass --allow-non-loopback to serve it anyway")
    return args


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _exit_on_signal(signum, frame):
    raise SystemExit(0)


def _watch_stdin() -> None:
    """The parent test holds our stdin open; EOF means it is gone."""
    try:
        while os.read(sys.stdin.fileno(), 65536):
            pass
    except OSError:
        pass
    # Deliver to the main thread, which is blocked in serve_forever().
    os.kill(os.getpid(), signal.SIGTERM)


def main(argv=None) -> int:
    args = _parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    started = time.monotonic()

    # Only the READY line may reach stdout; moto and friends print elsewhere.
    ready_out, sys.stdout = sys.stdout, sys.stderr
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if args.verbose else logging.WARNING,
        format="emulator: %(levelname)s %(name)s: %(message)s",
    )
    # werkzeug logs each request at INFO; keep that behind --verbose.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    import privatelink_patches
    from request_log import EmulatorMiddleware, RequestLog
    from runtime_config import EmulatorConfig

    config = EmulatorConfig(args.available_after, args.delete_after)
    privatelink_patches.install(config)
    app = EmulatorMiddleware(
        DomainDispatcherApplication(create_backend_app), RequestLog(), config
    )
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_port
    # moto builds some URLs (e.g. SQS queue URLs) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    if args.watch_stdin:
        threading.Thread(target=_watch_stdin, name="stdin-watch", daemon=True).start()

    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"EMULATOR_READY http://{host}:{port}", file=ready_out, flush=True)
    print(
        f"emulator: serving on {host}:{port} (start-up {time.monotonic() - started:.2f}s)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
