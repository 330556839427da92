"""Announcing a KPI run in the team's chat: WeCom, DingTalk, Feishu, Slack, a JSON webhook."""
