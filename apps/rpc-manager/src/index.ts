/** rpc-manager's public API: the RPC pool as a library, a web3.js Connection over it, and the proxy. */
export type { BackoffPolicy } from './backoff.js';
export type { BreakerOptions, BreakerState } from './circuit-breaker.js';
export type { EndpointConfig } from './endpoint.js';
export { websocketUrlFor } from './endpoint.js';
export { POOL_ERROR } from './json-rpc.js';
export type { AmbiguousSendRetry, EndpointStatus, PoolOptions, PoolReply, RequestOptions } from './pool.js';
export { POOL_DEFAULTS, RpcPool, RpcPoolError } from './pool.js';
export { createConnection, createPoolFetch } from './pool-fetch.js';
export type { ProxyOptions, RpcProxy } from './proxy/proxy-server.js';
export { startProxy } from './proxy/proxy-server.js';
