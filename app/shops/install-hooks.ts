// What each domain does when a shop installs the app (or installs it again): registered by the startup module
// (app/app.server.ts), run in that order by recordInstall (shops.server.ts) after every successful auth. Each hook
// must be idempotent: auth runs again on every reinstall and on token refreshes.

export type InstallHook = (shop: string) => Promise<unknown>;

declare global {
  var afterglowInstallHooks: InstallHook[] | undefined;
}

export function onInstall(...hooks: InstallHook[]): void {
  const current = (globalThis.afterglowInstallHooks ??= []);
  for (const hook of hooks) if (!current.includes(hook)) current.push(hook);
}

/** Throws when none are registered: an install that silently did nothing would leave a shop without its defaults. */
export function installHooks(): readonly InstallHook[] {
  const hooks = globalThis.afterglowInstallHooks ?? [];
  if (hooks.length === 0)
    throw new Error("Install hooks are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)");
  return hooks;
}
