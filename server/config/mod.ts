/**
 * The configuration model: the one validated, serialisable {@link ServerConfig} that the parent
 * hands to every child and thread, the directive tables (httpd's names, their syntax and
 * defaults) that both its readers and the engines read, and the errors that name a file and
 * line. What a Worker loads; the readers (YAML, httpd.conf) are `readers/`.
 *
 * @module
 */

export {
  type AccessSection,
  type AliasRule,
  type AllowOverride,
  ALTER_ETAG_MODES,
  type AlterETagMode,
  type AppMount,
  type AutoindexConfig,
  type CompressionConfig,
  type CustomLog,
  type ErrorDocument,
  type HeaderAction,
  type HeaderRule,
  type HostConfig,
  type HostTls,
  HTTP_ENGINES,
  type HttpEngineName,
  INDEX_OPTION_FLAGS,
  type IndexOptionFlag,
  LISTEN_PROTOCOLS,
  type ListenAddress,
  type ListenProtocol,
  type ListingOrder,
  MPM_NAMES,
  MPM_SOURCES,
  type MpmName,
  type MpmSource,
  type OptionName,
  OUTPUT_FILTERS,
  type OutputFilter,
  type OutputFilterRule,
  OVERRIDE_CLASSES,
  type OverrideClass,
  PATH_SECTION_KINDS,
  type PathSectionKind,
  type ProxyConfig,
  type ProxyReverseRule,
  type ProxyRule,
  type ProxyWorker,
  type ReadTimeout,
  type RedirectRule,
  type Requirement,
  type RunAs,
  SERVER_SIGNATURES,
  SERVER_TOKENS,
  type ServerConfig,
  type ServerSignature,
  type ServerTokens,
  SORT_KEYS,
  type SortKey,
  type StatusConfig,
  TLS_VERSIONS,
  type TlsCredentials,
  type TlsProtocols,
  type TlsVersion,
  type VirtualHostAddress,
} from "./server_config.ts";
export { formatVirtualHostAddress, parseVirtualHostAddresses } from "./virtual_host_address.ts";
export {
  type AddressRange,
  ALL_RANGES,
  formatAddressRange,
  isAddressAllowed,
  LOCAL_RANGES,
  parseAddressRange,
  parseAllowWord,
} from "./address_range.ts";
export {
  ConfigError,
  type ConfigErrorInit,
  ConfigErrors,
  type ConfigLocation,
  formatLocation,
} from "./config_error.ts";
export {
  appendInSameSource,
  argsOf,
  checkRegExp,
  type CombineScope,
  decimal,
  describeValue,
  type Directive,
  type DirectiveContext,
  type DirectiveInfo,
  DirectiveValueError,
  type DirectiveValueErrorOptions,
  duration,
  flag,
  formatDuration,
  formatSize,
  integer,
  type IntegerRange,
  list,
  mapItems,
  MAX_DURATION_MS,
  oneOf,
  parseDuration,
  parseFlag,
  parseInteger,
  parseSize,
  parseText,
  path,
  singleText,
  size,
  text,
  type ValueSyntax,
  withArticle,
  wordsOf,
} from "./directive.ts";
export {
  type BalancerConfig,
  type BalancerMemberConfig,
  HC_METHODS,
  type HcMethod,
  type HealthCheckConfig,
  LB_METHODS,
  type LbMethod,
  MEMBER_STATUS_FLAGS,
  type MemberStatusFlag,
  type StickySession,
} from "./balancer_config.ts";
export {
  assembleBalancers,
  BALANCER_DEFAULTS,
  type BalancerMemberLine,
  balancerName,
  balancerOfTarget,
  type BalancerSettings,
  formatBalancerLines,
  MEMBER_DEFAULTS,
  type ProxySetLine,
} from "./_balancer.ts";
export { ArgumentSyntaxError, splitArgs } from "./split_args.ts";
export { SERVER_DIRECTIVES } from "./server_directives.ts";
export { formatListen, formatListenAddress } from "./_listen.ts";
export { DEFAULT_REQUEST_READ_TIMEOUT } from "./request_read_timeout.ts";
export { HOST_DIRECTIVES } from "./host_directives.ts";
export { DEFAULT_COMPRESSION } from "./_compression.ts";
export {
  CHAIN_FILE_DEPRECATED,
  CIPHERS_NOT_CHOSEN,
  parseSslProtocol,
  SSL_LEFT_TO_LIBRARY,
  withChain,
} from "./_ssl.ts";
export { parseMimeTypes } from "./mime_types.ts";
export { type Htpasswd, parseHtpasswd, type PasswordScheme, passwordScheme } from "./htpasswd.ts";
export { directoryPattern, parseRequireLine, parseSectionBody, wildcardSource } from "./_access.ts";
export {
  DEFAULT_AUTOINDEX,
  formatListingOrder,
  IGNORED_INDEX_OPTIONS,
  indexOptionFlags,
  type IndexOptionsValue,
  isIgnoredIndexOption,
} from "./_autoindex.ts";
export { ALLOW_NO_OVERRIDE, parseAllowOverride } from "./allow_override.ts";
export { DEFAULT_PROXY_CONFIG, DEFAULT_PROXY_WORKER } from "./_proxy.ts";
export type { OptionsValue } from "./_options.ts";
