// The built-in rule set of SPEC section 6: the WebSocketNotifier modules, replaced by AgentWebSocketBridge.
// Plain data in the deprecations.schema.json format (test/diagnostics/rules-walk.test.ts validates it).
export const DEFAULT_DEPRECATIONS = {
    "rules": [
      {
        "id": "websocket-notifier",
        "languages": ["python"],
        "modules": [
          "netra_backend.app.agents.supervisor.websocket_notifier",
          "netra_backend.app.services.websocket_notifier",
          "netra_backend.app.websocket_core.websocket_notifier"
        ],
        "names": ["WebSocketNotifier"],
        "severity": "warning",
        "message": "Use AgentWebSocketBridge from netra_backend.app.services.agent_websocket_bridge instead.",
        "replacement": { "module": "netra_backend.app.services.agent_websocket_bridge", "name": "AgentWebSocketBridge" },
        "methods": [
          { "name": "send_agent_started", "rename": "notify_agent_started", "parameters": ["context"],
            "arguments": ["{context}.run_id", "{context}.agent_name"] },
          { "name": "send_agent_thinking", "rename": "notify_agent_thinking",
            "parameters": ["context", "thought", "step_number", "progress_percentage"],
            "arguments": ["{context}.run_id", "{context}.agent_name", "reasoning={thought}", "step_number={step_number}", "progress_percentage={progress_percentage}"] },
          { "name": "send_tool_executing", "rename": "notify_tool_executing", "parameters": ["context", "tool_name"],
            "arguments": ["{context}.run_id", "{tool_name}", "agent_name={context}.agent_name"] },
          { "name": "send_tool_completed", "rename": "notify_tool_completed", "parameters": ["context", "tool_name", "result"],
            "arguments": ["{context}.run_id", "{tool_name}", "result={result}", "agent_name={context}.agent_name"] },
          { "name": "send_agent_completed", "rename": "notify_agent_completed", "parameters": ["context", "result", "duration_ms"],
            "arguments": ["{context}.run_id", "{context}.agent_name", "result={result}", "execution_time_ms={duration_ms}"] },
          { "name": "send_partial_result",
            "noEquivalent": "AgentWebSocketBridge has no partial-result event; report progress with notify_agent_thinking or include the content in notify_agent_completed's result." },
          { "name": "send_final_report",
            "noEquivalent": "AgentWebSocketBridge has no final-report event; put the report in notify_agent_completed's result." },
          { "name": "send_stream_*",
            "noEquivalent": "AgentWebSocketBridge does not stream chunks; send the assembled content with notify_agent_thinking or notify_agent_completed." }
        ]
      }
    ]
};
