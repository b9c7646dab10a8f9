"""The limits a download lives within: a total deadline, where a redirect may lead, how long a server may ask
us to wait.

A per-operation timeout (httpx's) does not bound a request: a server that sends a byte every two seconds
never trips a 30 s read timeout and keeps a fetch busy for ever. :class:`Deadline` is set around one
download, and :func:`bound_transport` wraps httpx's network streams so that every connect and every read
gets at most the time that is left. Redirects are checked hop by hop (:func:`redirect_refusal`): only http(s),
and never from a public address into loopback, private or link-local ranges (a page on the internet must not
steer the tool at the user's router or at a service on the same machine).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import socket
import threading
import time
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

__all__ = ["Deadline", "bound_transport", "retry_after", "redirect_refusal", "is_public_host",
           "resolve_host", "Resolver"]

Resolver = Callable[[str], list[str]]


class Deadline:
    """The monotonic time by which the current download must end, per thread (one download at a time)."""

    _local = threading.local()

    @classmethod
    def set(cls, when: float | None) -> None:
        cls._local.when = when

    @classmethod
    def remaining(cls) -> float | None:
        when = getattr(cls._local, "when", None)
        return None if when is None else when - time.monotonic()

    @classmethod
    def bound(cls, timeout: float | None) -> float | None:
        """The smaller of an operation's own timeout and the time left; raise once no time is left."""
        left = cls.remaining()
        if left is None:
            return timeout
        if left <= 0:
            raise httpcore.ReadTimeout("the time limit for the whole request was reached")
        return left if timeout is None else min(timeout, left)


class _BoundStream(httpcore.NetworkStream):
    """A network stream whose every read and write is bounded by the current :class:`Deadline`."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, Deadline.bound(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, Deadline.bound(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _BoundStream(self._stream.start_tls(ssl_context, server_hostname, Deadline.bound(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _BoundBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with connects and streams bounded by the current :class:`Deadline`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _BoundStream(self._backend.connect_tcp(host, port, Deadline.bound(timeout), local_address,
                                                      socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _BoundStream(self._backend.connect_unix_socket(path, Deadline.bound(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def bound_transport() -> httpx.HTTPTransport:
    """httpx's default transport with its network backend bounded by :class:`Deadline`.

    httpx has no public hook for the network backend; the pool's backend attribute is replaced here, in one
    place. Should a later httpx rename it, downloads fall back to the checks between body chunks.
    """
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None:
        pool._network_backend = _BoundBackend(backend)  # type: ignore[union-attr]
    return transport


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date), or None if absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


def resolve_host(host: str) -> list[str]:
    """The addresses a host name resolves to (empty when it does not resolve: the request then fails itself)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []


def _addresses(host: str, resolve: Resolver) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]").split("%")[0])]
    except ValueError:
        pass
    found = []
    for address in resolve(host):
        try:
            found.append(ipaddress.ip_address(address.split("%")[0]))
        except ValueError:
            continue
    return found


def is_public_host(host: str, resolve: Resolver = resolve_host) -> bool:
    """False when the host is, or resolves to, a loopback, private, link-local or otherwise non-global address."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return False
    return all(address.is_global for address in _addresses(host, resolve))


def redirect_refusal(original: str, target: str, resolve: Resolver = resolve_host) -> str | None:
    """Why a redirect from the chain starting at ``original`` to ``target`` is refused, or None to follow it."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"a redirect to {target!r} is not an http(s) URL"
    first = urlsplit(original).hostname or ""
    if not is_public_host(first, resolve):
        return None                       # a local or private start (a test server, an intranet) may stay local
    if not is_public_host(parts.hostname, resolve):
        return f"a redirect to {target} leads to a loopback, private or link-local address"
    return None
