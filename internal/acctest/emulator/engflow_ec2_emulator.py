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


SEED_ENV = "ENGFLOW_EMULATOR_SEED"


def _knob_type(key):
    from runtime_config import parse_value

    def parse(text):
        try:
            return parse_value(key, text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return parse


def _parse_args(argv):
    from runtime_config import SPEC

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    # One flag per knob of POST /_emulator/config (see README.md), e.g.
    # --visibility-delay 0, --shuffle-order false, --latency 0,0.02, --seed 7.
    for key, (kind, default) in SPEC.items():
        if key == "seed":
            help_text = f"seed of all random decisions (default: ${SEED_ENV}, else random)"
        elif kind == "range":
            help_text = f"MIN,MAX seconds (default {default[0]:g},{default[1]:g})"
        else:
            help_text = f"default {str(default).lower() if kind == 'flag' else default}"
        parser.add_argument(
            "--" + key.replace("_", "-"),
            dest=key,
            type=_knob_type(key),
            default=None,
            metavar=kind.upper(),
            help=help_text,
        )
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
    if args.seed is None and os.environ.get(SEED_ENV, "").strip():
        try:
            args.seed = _knob_type("seed")(os.environ[SEED_ENV])
        except argparse.ArgumentTypeError as e:
            parser.error(f"{SEED_ENV}: {e}")
    args.knobs = {k: getattr(args, k) for k in SPEC if getattr(args, k) is not None}
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

    config = EmulatorConfig(**args.knobs)
    privatelink_patches.install(config)
    # So that a failing run can be repeated with the same random decisions.
    print(
        f"emulator: seed {config.seed} (repeat with --seed {config.seed} or {SEED_ENV}={config.seed})",
        file=sys.stderr,
        flush=True,
    )
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
