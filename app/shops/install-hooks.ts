// What each domain does when a shop installs the app (or installs it again): registered by the startup module
// (app/app.server.ts), run in that order by recordInstall (shops.server.ts) after every successful auth. Each hook
// must be idempotent: auth runs again on every reinstall and on token refreshes.
// Reinstall hooks run only when the shop had uninstalled the app (app/uninstalled cancelled every job of the shop
// that had not started, shops/uninstall.server.ts): each domain queues again the work its rows say is still due.

export type InstallHook = (shop: string) => Promise<unknown>;

/** `uninstalledAt`: when the shop uninstalled the app, as recorded; it names this reinstall in job keys. */
export type ReinstallHook = (shop: string, uninstalledAt: Date) => Promise<unknown>;

interface Hooks {
  install: InstallHook[];
  reinstall: ReinstallHook[];
}

declare global {
  // One per process; survives Vite's module reloads in development.
  var afterglowShopHooks: Hooks | undefined;
}

const registered = (): Hooks => (globalThis.afterglowShopHooks ??= { install: [], reinstall: [] });

function add<K extends keyof Hooks>(kind: K, hooks: Hooks[K]): void {
  const current = registered()[kind] as unknown[];
  for (const hook of hooks) {
    if (current.includes(hook)) continue;
    // Vite's dev server reloads an edited module: its new hook replaces the old one of the same name, in place.
    const stale = (hook as { name: string }).name ? current.findIndex((h) => (h as { name: string }).name === (hook as { name: string }).name) : -1;
    if (stale >= 0) current[stale] = hook;
    else current.push(hook);
  }
}

/** Throws when none are registered: an install that silently did nothing would leave a shop without its defaults. */
function read<K extends keyof Hooks>(kind: K, what: string): Hooks[K] {
  const hooks = registered()[kind];
  if (hooks.length === 0)
    throw new Error(`${what} hooks are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)`);
  return hooks;
}

export const onInstall = (...hooks: InstallHook[]): void => add("install", hooks);
export const installHooks = (): readonly InstallHook[] => read("install", "Install");
export const onReinstall = (...hooks: ReinstallHook[]): void => add("reinstall", hooks);
export const reinstallHooks = (): readonly ReinstallHook[] => read("reinstall", "Reinstall");

/**
 * The key of a job queued again at a reinstall: the original key and the uninstall it follows. Once per reinstall
 * however often auth runs; a later uninstall and reinstall queues it again.
 */
export const reinstallJobKey = (key: string, uninstalledAt: Date) => `${key}:reinstall:${uninstalledAt.getTime()}`;
