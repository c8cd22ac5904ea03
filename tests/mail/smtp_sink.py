"""A real SMTP server on loopback for the tests: it takes every message
and keeps it as a file, and never passes one on.

    /usr/bin/python3 smtp_sink.py --port N --dir DIR --cert PEM --key PEM

Each message is written to DIR as NNNNNN.eml (the bytes received,
dot-unstuffed) beside NNNNNN.env (the envelope: "from", one "rcpt" per
recipient, "tls yes|no"), the .env renamed into place last, so a reader
that finds one finds both whole.  STARTTLS is offered with the
certificate given.  A recipient whose local part starts with "reject-"
is refused for good (550), one starting with "defer-" for now (451), so
the tests can see both answers.

Run with Debian's python3-aiosmtpd; tests/mail/smtp-sink starts and stops
it.
"""

import argparse
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = len([n for n in os.listdir(directory)
                          if n.endswith(".env")])

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 this mailbox does not exist"
        if local.startswith("defer-"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            base = os.path.join(self.directory, "%06d" % self.count)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        env = ["from %s" % envelope.mail_from]
        env += ["rcpt %s" % r for r in envelope.rcpt_tos]
        env.append("tls %s" % ("yes" if session.ssl else "no"))
        write(base + ".eml", data)
        write(base + ".env", ("\n".join(env) + "\n").encode())
        return "250 2.0.0 kept as %s" % os.path.basename(base)


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.rename(tmp, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    args = p.parse_args()

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    os.makedirs(args.dir, exist_ok=True)

    controller = Controller(Sink(args.dir), hostname="127.0.0.1",
                            port=args.port, tls_context=tls,
                            require_starttls=False,
                            server_hostname="sink.ticketwerk.test",
                            data_size_limit=64 * 1024 * 1024)
    controller.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print("smtp sink listening on 127.0.0.1:%d" % args.port, flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
