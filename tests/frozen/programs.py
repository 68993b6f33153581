"""The frozen tests' way of running the bundle's programs: nothing they start can make a test wait forever.

Under Wine, the first program that needs Wine's desktop starts `explorer.exe /desktop`, which keeps a copy
of that program's stderr handle for as long as the desktop lives. A test reading the program's output from
a pipe then waits for an end of file that never comes (two CI runs hung so). And closing a pipe while a
thread still reads it (what subprocess.communicate leaves behind after its timeout) blocks on the reader's
lock: the last attempt at a way out hung there too. So here:

- a program's stdout and stderr go to files, read once it has exited or been killed; only a test about pipes
  uses pipes, read by threads that are waited for with a timeout and never closed under them;
- every program is its own process group (a new session on POSIX, a job object on Windows, which also ends
  it when the test process dies), stopped and killed as a whole;
- every wait has a timeout.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

KILL_TIMEOUT = 15  # seconds for a killed process group to be gone (it takes well under one here)
STOP_GRACE = 10  # seconds a stopped program gets to exit by itself (SIGTERM) before it is killed
_numbers = itertools.count(1)


class Windows:
    """A job object holding one program and everything it starts; closing the handle kills them all."""

    CREATE_SUSPENDED = 0x00000004
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
    JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        class Basic(ctypes.Structure):
            _fields_ = [
                ("PerProcessUserTimeLimit", ctypes.c_int64),
                ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", wintypes.DWORD),
                ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t),
                ("ActiveProcessLimit", wintypes.DWORD),
                ("Affinity", ctypes.c_size_t),
                ("PriorityClass", wintypes.DWORD),
                ("SchedulingClass", wintypes.DWORD),
            ]

        class Extended(ctypes.Structure):
            _fields_ = [
                ("BasicLimitInformation", Basic),
                ("IoInfo", ctypes.c_uint64 * 6),
                ("ProcessMemoryLimit", ctypes.c_size_t),
                ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t),
                ("PeakJobMemoryUsed", ctypes.c_size_t),
            ]

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
        kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD]
        kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
        kernel32.TerminateJobObject.argtypes = [wintypes.HANDLE, wintypes.UINT]
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        ntdll = ctypes.WinDLL("ntdll")
        ntdll.NtResumeProcess.argtypes = [wintypes.HANDLE]
        self.kernel32, self.ntdll = kernel32, ntdll
        self.job = kernel32.CreateJobObjectW(None, None)
        if not self.job:
            raise ctypes.WinError(ctypes.get_last_error())
        limits = Extended()
        limits.BasicLimitInformation.LimitFlags = self.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if not kernel32.SetInformationJobObject(
            self.job, self.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(limits), ctypes.sizeof(limits)
        ):
            raise ctypes.WinError(ctypes.get_last_error())
        self.winerror = ctypes.WinError
        self.last_error = ctypes.get_last_error

    def adopt(self, process: subprocess.Popen[bytes]) -> None:
        """Put the (suspended) process into the job, then let it run: whatever it starts is in the job too."""
        handle = int(process._handle)  # subprocess's own handle of the process
        if not self.kernel32.AssignProcessToJobObject(self.job, handle):
            error = self.winerror(self.last_error())
            process.kill()
            raise error
        status = self.ntdll.NtResumeProcess(handle)
        if status != 0:
            process.kill()
            raise OSError(f"NtResumeProcess failed (NTSTATUS {status & 0xFFFFFFFF:#010x})")

    def kill(self) -> None:
        self.kernel32.TerminateJobObject(self.job, 1)

    def close(self) -> None:
        if self.job:
            self.kernel32.CloseHandle(self.job)
            self.job = None


class Program:
    """One started program, in its own process group, its output going to files (or to pipes)."""

    def __init__(self, command: Sequence[str], cwd: Path, env: dict[str, str], files: tuple[Path, Path] | None) -> None:
        """`files`: where its stdout and stderr go; None connects both to pipes instead."""
        self.command = list(command)
        self.job: Windows | None = None
        self._readers: list[threading.Thread] = []
        self._piped: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
        self.files = files
        flags = 0
        if sys.platform == "win32":
            self.job = Windows()
            flags = Windows.CREATE_SUSPENDED
        if files is None:
            out: IO[bytes] | int = subprocess.PIPE
            err: IO[bytes] | int = subprocess.PIPE
        else:
            out, err = files[0].open("wb"), files[1].open("wb")
        try:
            self.process = subprocess.Popen(
                self.command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                creationflags=flags,
                start_new_session=sys.platform != "win32",
            )
        finally:
            if files is not None:  # the program has its own handles now
                out.close()
                err.close()
        if self.job is not None:
            self.job.adopt(self.process)
        if files is None:
            for name in ("stdout", "stderr"):
                pipe = getattr(self.process, name)
                reader = threading.Thread(target=self._read, args=(pipe, self._piped[name]), daemon=True)
                reader.start()
                self._readers.append(reader)

    @staticmethod
    def _read(pipe: IO[bytes], into: list[bytes]) -> None:
        for chunk in iter(lambda: pipe.read1(65536), b""):  # a BufferedReader: whatever has arrived
            into.append(chunk)

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float) -> int | None:
        """The exit code, or None when the program still runs after `timeout` seconds."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        """Ask the program (its whole group) to end, give it STOP_GRACE seconds, then kill the group."""
        if self.running() and sys.platform != "win32":
            self._signal(signal.SIGTERM)
            if self.wait(STOP_GRACE) is not None:
                self.kill()  # what it started may still run
                return
        self.kill()

    def kill(self) -> None:
        """Kill the program and everything it started, and reap it (within KILL_TIMEOUT seconds)."""
        if self.job is not None:
            self.job.kill()
        else:
            self._signal(signal.SIGKILL)
        if self.wait(KILL_TIMEOUT) is None:
            raise RuntimeError(f"{self.command[0]} still runs {KILL_TIMEOUT} s after it was killed")
        if self.job is not None:
            self.job.close()

    def _signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(self.process.pid, number)  # the group of the session it leads

    def output(self) -> tuple[bytes, bytes]:
        """What the program wrote to stdout and stderr (call once it has exited or been killed)."""
        if self.files is not None:
            return self.files[0].read_bytes(), self.files[1].read_bytes()
        for reader in self._readers:
            reader.join(KILL_TIMEOUT)  # a pipe some helper holds open is left to its (daemon) thread
        out, err = b"".join(self._piped["stdout"]), b"".join(self._piped["stderr"])
        if any(reader.is_alive() for reader in self._readers):
            err += b"\n(the output pipe stayed open after the program ended: output may be incomplete)"
        return out, err


class Finished:
    """A program that ran to its end within the time given (or was killed: `timed_out`)."""

    def __init__(self, program: Program, returncode: int | None) -> None:
        self.timed_out = returncode is None
        self.returncode = -1 if returncode is None else returncode
        self.stdout_bytes, self.stderr_bytes = program.output()
        self.stdout = self.stdout_bytes.decode("utf-8", "replace")
        self.stderr = self.stderr_bytes.decode("utf-8", "replace")
        if self.timed_out:
            self.stderr += f"\n({program.command[0]} did not finish in time and was killed)"


def run(
    command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float, files: tuple[Path, Path] | None
) -> Finished:
    """Run a program to its end; after `timeout` seconds it is killed (then `timed_out`, exit code -1)."""
    program = Program(command, cwd, env, files)
    try:
        returncode = program.wait(timeout)
    finally:
        program.kill()  # also when the test itself is interrupted; harmless after a normal exit
    return Finished(program, returncode)


def output_files(folder: Path) -> tuple[Path, Path]:
    """Two new files in `folder` for one program's stdout and stderr."""
    folder.mkdir(parents=True, exist_ok=True)
    number = next(_numbers)
    return folder / f"program-{number}.stdout", folder / f"program-{number}.stderr"
