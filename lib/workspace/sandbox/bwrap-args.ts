// The bubblewrap command line of one workspace command. Pure (reads the host's directory
// layout once), so the rules are easy to read and to test:
//
// - a fresh root on tmpfs with only the system directories, read-only: /usr and its merged
//   /bin, /lib*, /sbin, /etc without its secrets, and Node's own install when it lives
//   elsewhere; never the app's data directory, its code, /root, /home or other workspaces;
// - the workspace at its real path: writable in a normal turn, read-only in plan mode except
//   the plan file, bound from a file descriptor the agent opened and checked (so a symlink
//   swapped in after the check cannot redirect the bind);
// - private /tmp, /proc of its own PID namespace, a minimal /dev;
// - its own user (a non-root uid inside), PID, IPC and UTS namespaces, a new session (no
//   TIOCSTI into the agent's terminal), no capabilities, and death with its parent;
// - in plan mode its own empty network namespace: loopback only, nothing else to reach.
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  readlinkSync,
  realpathSync,
} from "node:fs";
import path from "node:path";

/** The uid and gid a command sees inside; mapped to the workspace's own uid outside. */
export const SANDBOX_UID = 1000;
/** The egress proxy's address inside a normal-mode sandbox. */
export const PROXY_PORT = 3128;

const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** Files and directories of /etc that hold host secrets; masked even though /etc is read-only. */
const ETC_SECRET_FILES = ["/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-"];
const ETC_SECRET_DIRS = ["/etc/ssl/private"];

function hostLayout(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    // Merged-/usr systems have /bin -> usr/bin: recreate the link rather than bind twice.
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  args.push("--ro-bind", "/etc", "/etc");
  for (const file of ETC_SECRET_FILES) {
    if (existsSync(file)) args.push("--ro-bind", "/dev/null", file);
  }
  for (const dir of ETC_SECRET_DIRS) if (existsSync(dir)) args.push("--tmpfs", dir);
  try {
    for (const name of readdirSync("/etc/ssh")) {
      if (/^ssh_host_.*_key$/.test(name)) args.push("--ro-bind", "/dev/null", `/etc/ssh/${name}`);
    }
  } catch {
    // No sshd keys on this host.
  }
  // Node (and the npm beside it) for commands and stdio servers, when not under /usr.
  const nodeHome = path.dirname(path.dirname(realpathSync(process.execPath)));
  if (!SYSTEM_DIRS.some((dir) => nodeHome === dir || nodeHome.startsWith(`${dir}/`))) {
    args.push("--ro-bind", nodeHome, nodeHome);
  }
  return args;
}

let cachedLayout: string[] | undefined;

export interface BwrapSpec {
  /** Real absolute path of the workspace. */
  workspace: string;
  mode: "normal" | "plan";
  /** Plan mode: the workspace-relative plan file, bound writable from descriptor `planFd`. */
  planFile?: { abs: string; fd: number };
  /** Working directory (absolute, inside the workspace). */
  cwd: string;
  env: Record<string, string>;
  command: string;
  args: string[];
  /** Extra host directories, read-only (WORKSPACE_READONLY_PATHS). */
  readOnlyPaths?: string[];
}

export function bwrapArgs(spec: BwrapSpec): string[] {
  cachedLayout ??= hostLayout();
  const args = [
    "--unshare-user",
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_UID),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--hostname",
    "workspace",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    ...cachedLayout,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    "--tmpfs",
    "/var/tmp",
    "--tmpfs",
    "/run",
  ];
  for (const dir of spec.readOnlyPaths ?? []) args.push("--ro-bind-try", dir, dir);
  if (spec.mode === "plan") {
    args.push("--unshare-net", "--ro-bind", spec.workspace, spec.workspace);
    if (spec.planFile) args.push("--bind-fd", String(spec.planFile.fd), spec.planFile.abs);
  } else {
    // The network namespace is the workspace's own, entered before bwrap starts.
    args.push("--bind", spec.workspace, spec.workspace);
  }
  args.push("--chdir", spec.cwd, "--clearenv");
  for (const [name, value] of Object.entries(spec.env)) args.push("--setenv", name, value);
  args.push("--", spec.command, ...spec.args);
  return args;
}

/**
 * Where a bare command name would be found inside the sandbox (the same system directories),
 * so "command not found" is reported as such instead of as bubblewrap's exec error.
 */
export function commandExists(command: string, env: Record<string, string>, cwd: string): boolean {
  const candidates = command.includes("/")
    ? [path.resolve(cwd, command)]
    : (env.PATH ?? "").split(":").map((dir) => path.join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The environment every sandboxed command starts from; `extra` (the caller's) wins. */
export function sandboxEnv(
  workspace: string,
  mode: "normal" | "plan",
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: workspace,
    LANG: process.env.LANG ?? "C.UTF-8",
    TMPDIR: "/tmp",
    USER: "workspace",
  };
  const nodeBin = path.dirname(realpathSync(process.execPath));
  if (!env.PATH!.split(":").includes(nodeBin)) env.PATH = `${nodeBin}:${env.PATH}`;
  if (mode === "normal") {
    const proxy = `http://127.0.0.1:${PROXY_PORT}`;
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) {
      env[name] = proxy;
    }
    env.NO_PROXY = env.no_proxy = "localhost,127.0.0.1,::1";
  }
  return { ...env, ...extra };
}
