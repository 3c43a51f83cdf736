"""Running a build: skip what is current, make the rest in parallel, write each file atomically.

A run is a list of tasks, one output file each (a handout, or a patient's packet). A task
whose inputs digest matches the folder's ``manifest.json`` and whose file is intact is not
made again (``force`` makes it anyway). A few are made here, one after another: a worker pool
costs more than it saves below :data:`POOL_FROM` files. More are made in a pool of worker
processes forked after this process has made the first one, so they start with everything
imported and loaded instead of importing it all again. Only this process writes, one file at
a time and atomically, so Ctrl-C stops the run between files and never leaves half a PDF.

What a run guarantees, and where each guarantee lives:

- one run writes into a folder at a time (:mod:`lock`);
- each file is listed the moment it is written (the manifest's :mod:`journal`), so a killed
  run loses at most the files in flight;
- Ctrl-C, SIGTERM and SIGHUP stop it between files, and workers never outlive it (:mod:`signals`);
- a task that fails, however it fails, stops nothing else: its error is its result, and the
  older copy of its file is removed only if the manifest says this tool made it.

A run of :data:`SYNC_ONCE_FROM` files or more forces them to disk once, when it ends (also
when it is stopped), before the manifest is saved, instead of once a file: an fsync each
would cost more than making the file. An operating-system crash or power cut before that
may lose or truncate files written in the run (the journal may list them already); a file
whose bytes are not the ones listed is rebuilt by the next run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from .errors import HandoutError, internal_error
from .lock import ReadOnlyFolder, writing_to
from .manifest import Entry, Manifest
from .pipeline import Project
from .signals import between_files, signal_number, start_worker, stopping_on_signals
from .write import CAN_SYNC_ALL, remove_leftovers, remove_stale, sync_all, write_atomic


class Made(Protocol):
    """What making a task gives: the file's bytes and what the summary and manifest show
    (``pages`` and ``body_size`` only for a PDF)."""

    data: bytes
    pages: int | None
    body_size: float | None
    warnings: list[str]


class Task(Protocol):
    """One output file: its name, how the summary calls it (never by a patient's name), the
    warnings known before it is made, the digest of its inputs, and how to make it."""

    @property
    def output(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    def inputs(self, project: Project) -> str: ...
    def make(self, project: Project) -> Made: ...


OldCopy = Literal["removed", "not ours"]
"""What became of the file already under a failed task's name: removed (an earlier build made
it), or left as it is (nothing says this tool made it)."""


@dataclass(frozen=True)
class Result:
    """One task's outcome: ``entry`` when its file is there (made now or already current)."""

    task: Task
    entry: Entry | None = None
    made: Made | None = None
    error: HandoutError | None = None
    old_copy: OldCopy | None = None

    @property
    def current(self) -> bool:
        """The file was already up to date and was not made again."""
        return self.entry is not None and self.made is None

    @property
    def warnings(self) -> list[str]:
        """What to tell about this file: the task's notes, then the build's warnings (kept in
        the manifest, so a file that stays up to date still shows them)."""
        return [*self.task.notes, *(self.entry.warnings if self.entry else [])]


class Interrupted(Exception):
    """Ctrl-C, SIGTERM or SIGHUP (``signal``): the run stopped between files; ``results`` are
    the ones finished before."""

    def __init__(self, results: list[Result], total: int, signal: int) -> None:
        super().__init__(f"interrupted after {len(results)} of {total} files")
        self.results = results
        self.total = total
        self.signal = signal


Item = tuple[int, Task, str]
"""A task to make: its place in the run, the task, and the digest of its inputs."""
T = TypeVar("T")


def run(project: Project, tasks: list[Task], out: Path, *, jobs: int = 1, force: bool = False,
        withdrawn: tuple[str, ...] = (), on_start: Callable[[int], None] = lambda total: None,
        on_result: Callable[[Result], None] = lambda result: None) -> list[Result]:
    """Make every task's file in ``out`` (up to ``jobs`` at a time); results in task order.

    ``withdrawn`` names files whose task could not even be set up (a bad row of a batch
    file): an earlier build's copy of each is removed. ``on_start`` hears how many tasks
    there are, ``on_result`` each result as it comes. Raises HandoutError when another run
    holds ``out`` or ``out`` cannot be written (unless nothing in it needs writing, see
    :func:`confirm_current`), and :class:`Interrupted` when a signal stops the run.
    """
    on_start(len(tasks))
    with ExitStack() as held:
        try:
            held.enter_context(writing_to(out))
        except ReadOnlyFolder as refusal:
            return confirm_current(project, tasks, out, refusal, force=force, withdrawn=withdrawn, on_result=on_result)
        held.enter_context(stopping_on_signals())
        remove_leftovers(out)
        manifest = Manifest.load(out)
        results: dict[int, Result] = {}
        try:
            _make_all(project, tasks, manifest, results, jobs, force, withdrawn, on_result)
        except KeyboardInterrupt as interrupt:
            raise Interrupted([results[i] for i in sorted(results)], len(tasks), signal_number(interrupt)) from None
        return [results[i] for i in sorted(results)]


def confirm_current(project: Project, tasks: list[Task], out: Path, refusal: ReadOnlyFolder, *, force: bool,
                    withdrawn: tuple[str, ...], on_result: Callable[[Result], None]) -> list[Result]:
    """The results of a run into a folder it may not write, when every file is up to date
    there; otherwise ``refusal``, naming what needed writing, and nothing written.

    It takes no lock: the lock file cannot be opened for writing here, and a run that may
    not write must never stop one that may. It needs none to be right: a file counts as
    current only if its bytes, read whole, have the sha256 the manifest lists for these very
    inputs. A writer replaces a file whole (a rename) and lists it only after that, and
    manifest.json is replaced whole too, its journal read line by line; so a run writing
    meanwhile can make a file look out of date (this run then stops with ``refusal``, as the
    folder is changing), never a half-written or outdated file look current. A killed run's
    leftovers and journal stay for the next run that may write.
    """
    manifest = Manifest.load(out)
    results = []
    for task in tasks:
        results.append(Result(task, entry=_inputs_and_entry(project, task, manifest, force)[1]))
    stale = [result.task.output for result in results if not result.current]
    stale += [name for name in withdrawn if name in manifest.entries]
    if stale:
        shown = ", ".join(stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
        raise HandoutError(f"{refusal.message}, and {shown} {'needs' if len(stale) == 1 else 'need'} writing",
                           file=out)
    for result in results:
        on_result(result)
    return results


def _make_all(project: Project, tasks: list[Task], manifest: Manifest, results: dict[int, Result], jobs: int,
              force: bool, withdrawn: tuple[str, ...], on_result: Callable[[Result], None]) -> None:
    """Fill ``results``, writing each file made; however this ends, what was written is forced
    to disk (once, for a large run) and the manifest saved."""
    sync_once = False
    try:
        for name in withdrawn:
            _withdraw(name, manifest)
        todo = _to_make(project, tasks, manifest, results, force, on_result)
        sync_once = CAN_SYNC_ALL and len(todo) >= SYNC_ONCE_FROM
        for (index, task, inputs), outcome in _outcomes(project, todo, jobs):
            with between_files():  # a file is written and listed, or neither
                results[index] = _keep(task, inputs, outcome, manifest, durable=not sync_once, force=force)
                on_result(results[index])
    finally:
        if sync_once:
            sync_all()
        manifest.save()


def _to_make(project: Project, tasks: list[Task], manifest: Manifest, results: dict[int, Result], force: bool,
             on_result: Callable[[Result], None]) -> list[Item]:
    """The tasks to make; the others' results (up to date, or an input that cannot be read)
    go into ``results`` at once."""
    todo: list[Item] = []
    for index, task in enumerate(tasks):
        inputs, entry = _inputs_and_entry(project, task, manifest, force)
        if isinstance(inputs, HandoutError) or entry:
            results[index] = Result(task, entry=entry) if entry else _keep(task, "", inputs, manifest, durable=True)
            on_result(results[index])
        else:
            todo.append((index, task, inputs))
    return todo


def _inputs_and_entry(project: Project, task: Task, manifest: Manifest,
                      force: bool) -> tuple[str | HandoutError, Entry | None]:
    """The digest of ``task``'s inputs (or why it cannot be had), and its entry if its file is current."""
    inputs = _attempt(task, lambda: task.inputs(project))
    return inputs, None if force or isinstance(inputs, HandoutError) else manifest.current(task.output, inputs)


def _keep(task: Task, inputs: str, outcome: Made | HandoutError, manifest: Manifest, *, durable: bool,
          force: bool = False) -> Result:
    """Write a made file and list it; for a failed task (or a failed write: a full disk, a
    file too large), withdraw the older copy instead, so nobody prints a stale handout. A
    file of the user's own under its name is left, and is the task's error, unless ``force``."""
    if isinstance(outcome, HandoutError):
        return Result(task, error=outcome, old_copy=_withdraw(task.output, manifest))
    if not force and (refusal := manifest.foreign(task.output)):
        return Result(task, error=refusal)
    manifest.claim(task.output)
    try:
        write_atomic(manifest.folder / task.output, outcome.data, durable=durable)
    except HandoutError as error:
        return Result(task, error=error, old_copy=_withdraw(task.output, manifest))
    entry = manifest.record(task.output, inputs, outcome.data, outcome.pages, outcome.body_size, outcome.warnings)
    return Result(task, entry=entry, made=outcome)


def _withdraw(name: str, manifest: Manifest) -> OldCopy | None:
    """Remove the file ``name`` if this tool made it (the manifest lists it, with these very
    bytes), and stop listing it; a file that is not ours is left as it is, and said so."""
    ours = manifest.made(name)
    manifest.forget(name)
    if ours:
        return "removed" if remove_stale(manifest.folder / name) else None
    return "not ours" if (manifest.folder / name).is_file() else None



POOL_FROM = 8
"""Make this many files or more in worker processes; fewer here. ``bench/pool.py`` measures
it on this project's 2-core machine: with it nearly idle, two workers took 1.13, 0.96, 1.00
and 0.80 times one process's wall time for 2, 4, 8 and 16 files (and more CPU each time);
with both cores busy with other work, 2 to 16 files took 0.94-1.24 times, and only 32 paid."""


SYNC_ONCE_FROM = 16
"""Force this many files or more to disk once at the end of the run, not once a file. One
sync of everything costs about as much as a few fsyncs (measured on ext4: 4-6 ms an fsync,
16-130 ms a sync with other work on the machine)."""


def _outcomes(project: Project, todo: list[Item], jobs: int) -> Iterator[tuple[Item, Made | HandoutError]]:
    """Make the tasks, here or in ``jobs`` worker processes, yielding each as it is done."""
    if jobs <= 1 or len(todo) < POOL_FROM:
        for item in todo:
            yield item, _attempt(item[1], lambda task=item[1]: task.make(project))  # type: ignore[misc]
        return
    first, rest = todo[0], todo[1:]
    yield first, _attempt(first[1], lambda: first[1].make(project))  # imports and loads what forked workers then inherit
    fork = "fork" in multiprocessing.get_all_start_methods()
    with ProcessPoolExecutor(min(jobs, len(rest)), mp_context=multiprocessing.get_context("fork" if fork else None),
                             initializer=_start_worker,
                             initargs=(project if fork else None, project.templates, project.clinic_file)) as pool:
        futures = {pool.submit(_attempt_in_worker, item[1]): item for item in rest}
        try:
            for future in as_completed(futures):
                yield futures[future], _outcome(future, futures[future][1])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _outcome(future: Future[Made | HandoutError], task: Task) -> Made | HandoutError:
    """A worker's result; a worker that died (killed, out of memory) fails its tasks, not the run."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        return internal_error(error, f"building {task.label} (a worker process stopped unexpectedly)")


def _attempt(task: Task, step: Callable[[], T]) -> T | HandoutError:
    """A step of ``task``; any failure is its result, so one bad file never stops the others."""
    try:
        return step()
    except HandoutError as error:
        return error
    except Exception as error:  # a bug or an unforeseen failure: one line, the rest still built
        return internal_error(error, f"building {task.label}")


_worker_project: Project | None = None


def _start_worker(project: Project | None, templates: Path, clinic_file: Path) -> None:
    """Use the parent's ``project`` (a forked worker shares it, nothing is copied) or, where
    there is no fork, open it once. Signals are left to the parent, which stops the pool."""
    global _worker_project
    start_worker()
    _worker_project = project or Project.open(templates, clinic_file)


def _attempt_in_worker(task: Task) -> Made | HandoutError:
    project = _worker_project
    assert project is not None
    return _attempt(task, lambda: task.make(project))
