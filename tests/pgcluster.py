"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, pg_ctl on a free port.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user
(Debian's package creates it) through runuser.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "shien"


def find_bin_dir() -> Path | None:
    """Debian's versioned bin dir (/usr/lib/postgresql/<v>/bin), newest first, or PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    bin_dir: Path
    root: Path
    port: int
    run_as: list[str]

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=120)

    def start(self) -> None:
        data = self.root / "data"
        self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "start")

    def stop(self) -> None:
        """Stop the cluster if it still runs; a data dir already gone (pytest prunes old temp dirs
        when sessions overlap) or a server already down is not a test failure."""
        data = self.root / "data"
        if not data.exists():
            return
        subprocess.run([*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def create_database(self) -> str:
        """Make an empty database and return its SQLAlchemy URL."""
        import psycopg
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_cluster(root: Path) -> Cluster:
    """Start a cluster under root (which must be fresh); raise RuntimeError if PostgreSQL is missing."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (root, *root.parents):  # the postgres user must be able to reach the temp dir
            if path == Path(path.anchor):
                break
            os.chmod(path, os.stat(path).st_mode | 0o011)
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        os.chown(root / "sock", pwd.getpwnam("postgres").pw_uid, -1)
    cluster = Cluster(bin_dir, root, free_port(), run_as)
    cluster.start()
    return cluster
