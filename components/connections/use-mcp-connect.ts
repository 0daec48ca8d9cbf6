"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "@/components/ui/toast";
import { mcpOauth2ConnectUrl, mcpQueryKeys, mcpServersQuery } from "@/lib/client/mcp-queries";
import type { McpServerConfig } from "@/lib/client/types";
import {
  CONNECT_FLOW_TTL_MS,
  oauth2ErrorText,
  parseOauth2Message,
  popupFeatures,
  popupName,
} from "./oauth2-popup";

export type McpConnectTarget = Pick<McpServerConfig, "id" | "display_name">;

/** A connect whose popup the browser refused: the user can open it in a tab instead. */
export interface BlockedPopup {
  serverId: string;
  serverName: string;
  url: string;
}

export interface McpConnector {
  /** Opens the authorization popup for the server (or focuses the one already open). */
  connect: (server: McpConnectTarget) => void;
  /** Servers whose popup is open. */
  connecting: ReadonlySet<string>;
  blocked: BlockedPopup | null;
  /** The fallback link was followed: keep listening for that tab's answer. */
  openedInTab: (blocked: BlockedPopup) => void;
  dismissBlocked: () => void;
}

interface Flow {
  name: string;
  startedAt: number;
  popup: Window | null;
  /** Interval polling `popup.closed`; unset once the popup is gone or was never ours. */
  poll?: number;
}

function stopPolling(flow: Flow) {
  if (flow.poll === undefined) return;
  window.clearInterval(flow.poll);
  flow.poll = undefined;
}

/**
 * Runs the OAuth2 connect popup of MCP servers. The callback page posts a message to its
 * opener; when an authorization server cuts `window.opener` (COOP), no message comes, so a
 * closed popup, and later the page regaining focus, refetch the list and look at
 * `auth_connected` instead. Mount it where it outlives the button (a menu closes).
 */
export function useMcpConnect(): McpConnector {
  const qc = useQueryClient();
  const flows = useRef(new Map<string, Flow>());
  const [connecting, setConnecting] = useState<ReadonlySet<string>>(() => new Set());
  const [blocked, setBlocked] = useState<BlockedPopup | null>(null);

  const syncConnecting = useCallback(() => {
    const open = [...flows.current].filter(([, flow]) => flow.poll !== undefined);
    setConnecting(new Set(open.map(([id]) => id)));
  }, []);

  const end = useCallback(
    (id: string): Flow | undefined => {
      const flow = flows.current.get(id);
      if (!flow) return undefined;
      stopPolling(flow);
      flows.current.delete(id);
      syncConnecting();
      return flow;
    },
    [syncConnecting],
  );

  /** The fresh list goes into the cache, so every picker and card shows the new state. */
  const refresh = useCallback(async (): Promise<McpServerConfig[] | undefined> => {
    void qc.invalidateQueries({ queryKey: [...mcpQueryKeys.all, "detail"] });
    try {
      return await qc.fetchQuery({ ...mcpServersQuery(), staleTime: 0 });
    } catch {
      return undefined;
    }
  }, [qc]);

  /** Flows that can no longer report by message: settled by what the server says now. */
  const settleByList = useCallback(async () => {
    const now = Date.now();
    for (const [id, flow] of flows.current) {
      if (now - flow.startedAt > CONNECT_FLOW_TTL_MS) end(id);
    }
    if (![...flows.current.values()].some((flow) => flow.poll === undefined)) return;
    const list = await refresh();
    for (const server of list ?? []) {
      const flow = flows.current.get(server.id);
      if (flow && flow.poll === undefined && server.auth_connected) {
        end(server.id);
        toast.success(`Connected to ${flow.name}`);
      }
    }
  }, [end, refresh]);

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const message = parseOauth2Message(event.data, event.origin, window.location.origin);
      if (!message) return;
      const flow = end(message.serverId);
      void refresh();
      // Another page's flow (another tab of the app): the refetch is all this page needs.
      if (!flow) return;
      if (message.type === "complete") toast.success(`Connected to ${flow.name}`);
      else
        toast.error(`Could not connect ${flow.name}`, {
          description: oauth2ErrorText(message.code),
        });
    };
    const onFocus = () => void settleByList();
    const onVisible = () => {
      if (document.visibilityState === "visible") void settleByList();
    };
    window.addEventListener("message", onMessage);
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    const current = flows.current;
    return () => {
      window.removeEventListener("message", onMessage);
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
      for (const flow of current.values()) stopPolling(flow);
    };
  }, [end, refresh, settleByList]);

  const connect = useCallback(
    (server: McpConnectTarget) => {
      const existing = flows.current.get(server.id);
      if (existing?.popup && !existing.popup.closed) {
        existing.popup.focus();
        return;
      }
      const url = mcpOauth2ConnectUrl(server.id);
      // Synchronously inside the click: a popup opened later would lack the user activation.
      const popup = window.open(url, popupName(server.id), popupFeatures(window));
      if (!popup) {
        // A same-tab navigation is no fallback: the callback page needs an opener.
        setBlocked({ serverId: server.id, serverName: server.display_name, url });
        return;
      }
      setBlocked((current) => (current?.serverId === server.id ? null : current));
      if (existing) stopPolling(existing);
      const flow: Flow = { name: server.display_name, startedAt: Date.now(), popup };
      flow.poll = window.setInterval(() => {
        if (!popup.closed && Date.now() - flow.startedAt < CONNECT_FLOW_TTL_MS) return;
        stopPolling(flow);
        syncConnecting();
        void settleByList();
      }, 500);
      flows.current.set(server.id, flow);
      syncConnecting();
    },
    [settleByList, syncConnecting],
  );

  const openedInTab = useCallback(
    (target: BlockedPopup) => {
      const existing = flows.current.get(target.serverId);
      if (existing) stopPolling(existing);
      flows.current.set(target.serverId, {
        name: target.serverName,
        startedAt: Date.now(),
        popup: null,
      });
      syncConnecting();
      setBlocked(null);
    },
    [syncConnecting],
  );

  const dismissBlocked = useCallback(() => setBlocked(null), []);

  return { connect, connecting, blocked, openedInTab, dismissBlocked };
}
