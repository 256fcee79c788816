#!/usr/bin/env python3
"""Runs a shell command on a new pseudo-terminal, as a user's terminal window does, and copies what
it prints to a file. On SIGUSR1 it types Ctrl-C: the byte 0x03 into the terminal, which the
terminal's line discipline turns into SIGINT for the foreground process group (or, when a program
put the terminal in raw mode, hands to that program as a key). Exits with the command's status
(128 + N when a signal N ended it).

usage: terminal.py COMMAND TRANSCRIPT
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios

command, transcript = sys.argv[1], sys.argv[2]

ctrl_c_pending = False


def type_ctrl_c(_signum, _frame):
    global ctrl_c_pending
    ctrl_c_pending = True


signal.signal(signal.SIGUSR1, type_ctrl_c)

pid, terminal = pty.fork()  # the child: a new session, the pty its controlling terminal
if pid == 0:
    os.execvp("bash", ["bash", "-c", command])

# A window of the usual size: some programs lay out their output by it.
fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

status = None
with open(transcript, "ab", buffering=0) as out:
    while True:
        if ctrl_c_pending:
            ctrl_c_pending = False
            os.write(terminal, b"\x03")
        if status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
        try:
            # Once the command ended, a last read of what it left in the terminal, then stop
            # (a process it left behind may keep the terminal open).
            ready, _, _ = select.select([terminal], [], [], 0.2 if status is None else 0.5)
        except InterruptedError:
            continue
        if not ready:
            if status is not None:
                break
            continue
        try:
            data = os.read(terminal, 65536)
        except OSError:  # EIO: no process has the terminal open any more
            data = b""
        if not data:
            break
        out.write(data)

if status is None:
    _, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
