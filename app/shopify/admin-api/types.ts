// Types shared by the client and the operation modules (no runtime code, importable anywhere).

export type Variables = Record<string, unknown>;

/** An operation string that carries its result and variables types (see operations/). */
export type AdminOperation<TData, TVars extends Variables = Variables> = string & {
  readonly __adminOperation?: { data: TData; variables: TVars };
};
