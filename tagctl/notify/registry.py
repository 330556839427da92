"""Every chat service, by the `type` a channel of tagctl.yaml gives."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tagctl.notify import dingtalk, feishu, slack, webhook, wecom
from tagctl.notify.service import Service


def _registry(*services: Service) -> Mapping[str, Service]:
    names = [service.name for service in services]
    if len(set(names)) != len(names):
        raise ValueError(f"two chat services share a name: {names}")
    return MappingProxyType({service.name: service for service in services})


SERVICES = _registry(
    wecom.SERVICE, dingtalk.SERVICE, feishu.SERVICE, slack.SERVICE, webhook.SERVICE
)
