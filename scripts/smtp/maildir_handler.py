"""aiosmtpd handler for the local stack's SMTP sink: each accepted message becomes one file in a
maildir (DIR/tmp, then renamed into DIR/new), as aiosmtpd's own Mailbox handler does, with the
same X-Peer, X-MailFrom and X-RcptTo headers added and the same LF line ends.

    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c maildir_handler.MaildirHandler DIR
    (with PYTHONPATH=scripts/smtp; see scripts/lib/stack_smtp.sh)

Why not Mailbox: it parses every message into an email.message.Message and serialises it again
(about 0.5 ms of CPU a mail here), and Python's mailbox.Maildir fsyncs each file (3.11), which
serialises the sink on the disk journal. The local stack does not promise durability across an
OS crash anywhere (PostgreSQL runs with fsync=off): a mail accepted with 250 is in the page cache
and survives a killed sink, like a committed sign-up survives a killed PostgreSQL.
"""

import itertools
import os
import socket
import time


def render(content: bytes, peer, mail_from: str, rcpt_tos) -> bytes:
    """The file's bytes: the message with LF line ends and the three trace headers appended to
    its header block (a message without a body gets them at its end)."""
    data = content.replace(b"\r\n", b"\n")
    head, sep, body = data.partition(b"\n\n")
    if head and not head.endswith(b"\n"):
        head += b"\n"
    trace = f"X-Peer: {peer}\nX-MailFrom: {mail_from}\nX-RcptTo: {', '.join(rcpt_tos)}\n"
    return head + trace.encode() + b"\n" + body if sep else head + trace.encode()


class MaildirHandler:
    def __init__(self, mail_dir: str):
        self.dir = os.fspath(mail_dir)
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        self.host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
        self.counter = itertools.count(1)

    def unique_name(self) -> str:
        # The maildir convention mailbox.Maildir follows: time, microseconds, PID, a counter.
        now = time.time()
        return (f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{next(self.counter)}."
                f"{self.host}")

    async def handle_DATA(self, server, session, envelope):
        name = self.unique_name()
        tmp = os.path.join(self.dir, "tmp", name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            data = memoryview(render(envelope.original_content, session.peer,
                                     envelope.mail_from, envelope.rcpt_tos))
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
        os.rename(tmp, os.path.join(self.dir, "new", name))
        return "250 OK"

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("the maildir handler takes one argument: the maildir")
        return cls(args[0])
