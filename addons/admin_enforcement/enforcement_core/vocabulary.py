"""Shared codes for party types and penalty types.

The hearing rule, the discretion standards and the major-decision catalogue
all talk about the same penalties; one vocabulary lets each of them reject a
misspelt code with a message instead of silently never matching it.
"""

from __future__ import annotations

from collections.abc import Iterable

PERSON = "person"
ORGANISATION = "organisation"
PARTY_TYPES: frozenset[str] = frozenset({PERSON, ORGANISATION})

#: Penalty kinds of 行政处罚法 art. 9, split where the law treats them differently
#: (e.g. a large confiscation triggers a hearing, a small one does not).
PENALTY_TYPES: frozenset[str] = frozenset(
    {
        "warning",  # 警告
        "circulate_criticism",  # 通报批评
        "fine",  # 罚款
        "confiscation",  # 没收违法所得、没收非法财物
        "confiscation_large",  # 没收较大数额违法所得/较大价值非法财物
        "licence_suspension",  # 暂扣许可证件
        "qualification_lowering",  # 降低资质等级
        "licence_revocation",  # 吊销许可证件
        "restrict_activity",  # 限制开展生产经营活动
        "stop_production",  # 责令停产停业
        "closure",  # 责令关闭
        "restrict_practice",  # 限制从业
        "detention",  # 行政拘留
    }
)


def check_party_type(party_type: str) -> str:
    """Return ``party_type`` or raise ValueError naming the bad value."""
    if party_type not in PARTY_TYPES:
        raise ValueError(
            f"unknown party type {party_type!r}; expected one of {sorted(PARTY_TYPES)}"
        )
    return party_type


def check_penalty_types(penalty_types: Iterable[str]) -> frozenset[str]:
    """Return the penalty types as a frozenset, or raise ValueError naming unknown codes."""
    types = frozenset(penalty_types)
    unknown = types - PENALTY_TYPES
    if unknown:
        raise ValueError(
            f"unknown penalty type(s) {sorted(unknown)}; expected codes from {sorted(PENALTY_TYPES)}"
        )
    return types
