"""Starts an agent run. The old WebSocketNotifier.send_agent_started(context) is named here: never flagged."""
from netra_backend.app.services.websocket_notifier import WebSocketNotifier


async def start(ws_manager, context):
    # WebSocketNotifier(ws_manager).send_agent_started(context) in a comment: never flagged
    notifier = WebSocketNotifier(ws_manager)
    await notifier.send_agent_started(context)
    return "WebSocketNotifier.send_agent_started(context)"
