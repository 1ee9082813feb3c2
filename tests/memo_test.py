"""`core.memo`: `keep_last`, `keep_last_each` and `by_identity` remember answers by the identity of their arguments."""

from __future__ import annotations

from postmortem_lint.core.memo import by_identity, keep_last, keep_last_each


def test_answers_are_kept_per_key_for_the_same_object_and_dropped_for_the_next() -> None:
    calls: list[tuple[object, str]] = []

    @keep_last_each
    def ask(owner: object, key: str) -> tuple[object, str]:
        calls.append((owner, key))
        return owner, key

    first, second = object(), object()
    assert [ask(first, "a"), ask(first, "b"), ask(first, "a")] == [(first, "a"), (first, "b"), (first, "a")]
    assert calls == [(first, "a"), (first, "b")]
    assert ask(second, "a") == (second, "a") and ask(first, "a") == (first, "a")
    assert len(calls) == 4
    assert ask.__wrapped__(first, "a") == (first, "a") and len(calls) == 5


def test_keep_last_compares_each_argument_by_identity_whatever_their_number() -> None:
    calls: list[tuple[object, ...]] = []

    def record(*args: object) -> tuple[object, ...]:
        calls.append(args)
        return args

    one, two, three = keep_last(lambda a: record(a)), keep_last(lambda a, b: record(a, b)), keep_last(lambda a, b, c: record(a, b, c))
    a, b, c, equal = object(), object(), object(), [1]
    assert one(a) == one(a) == (a,) and len(calls) == 1
    assert two(a, b) == two(a, b) and len(calls) == 2
    assert two(a, c) == (a, c) and two(b, c) == (b, c) and len(calls) == 4
    assert three(a, b, c) == three(a, b, c) and len(calls) == 5
    assert three(a, b, a) == (a, b, a) and len(calls) == 6
    assert one(equal) == ([1],) and one([1]) == ([1],) and len(calls) == 8  # equal is not the same object


def test_by_identity_tells_owners_apart_with_or_without_more_arguments() -> None:
    calls: list[tuple[object, ...]] = []

    @by_identity(8)
    def ask(owner: object, *rest: object) -> tuple[object, ...]:
        calls.append((owner, *rest))
        return (owner, *rest)

    a, b = object(), object()
    assert ask(a) == ask(a) == (a,) and len(calls) == 1
    assert ask(a, "x") == ask(a, "x") == (a, "x") and len(calls) == 2
    assert ask(b) == (b,) and ask(a) == (a,) and len(calls) == 3
