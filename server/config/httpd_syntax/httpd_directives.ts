/**
 * httpd's own directives, for telling a misspelt name from one mpmd does not implement: what
 * `apache2 -L` lists for Debian's Apache 2.4.71 with every module it ships loaded (the event
 * MPM's directives stand for the others', which mpmd's own tables hold), by the source file
 * that defines them; section names (`<Directory>`, …) are left out, the reader knows those.
 * Data only, nothing here is implemented by it.
 *
 * To regenerate: a config with a LoadModule line per `/usr/lib/apache2/modules/mod_*.so`, then
 * `apache2 -f that.conf -L`, keeping the `Name (file.c)` lines.
 *
 * @module
 */

/** Source file → the names of the directives it defines, space-separated. */
const BY_SOURCE: Readonly<Record<string, string>> = {
  // What Debian's build cannot list: httpd's directives for the platforms of the winnt and
  // netware MPMs, from the manual.
  "core.c (Windows)": "ScriptInterpreterSource",
  "mod_isapi.c (Windows)":
    "ISAPICacheFile ISAPIReadAheadBuffer ISAPILogNotSupported ISAPIAppendLogToErrors ISAPIAppendLogToQuery ISAPIFakeAsync",
  "mod_nw_ssl.c (NetWare)": "SecureListen NWSSLTrustedCerts NWSSLUpgradeable",
  "core.c":
    "AddDefaultCharset AcceptPathInfo Define UnDefine Error AccessFileName DocumentRoot ErrorDocument AllowOverride AllowOverrideList Options DefaultType FileETag EnableMMAP EnableSendfile ReadBufferSize FlushMaxThreshold FlushMaxPipelined Protocol AcceptFilter Port HostnameLookups ServerAdmin ServerName ServerSignature ServerRoot DefaultRuntimeDir ErrorLog ErrorLogFormat ServerAlias ServerPath Timeout ContentDigest UseCanonicalName UseCanonicalPhysicalPort Include IncludeOptional LogLevel NameVirtualHost ServerTokens LimitRequestLine LimitRequestFieldsize LimitRequestFields LimitRequestBody LimitXMLRequestBody Mutex MaxRanges MaxRangeOverlaps MaxRangeReversals RLimitCPU RLimitMEM RLimitNPROC RegexDefaultOptions LimitInternalRecursion CGIPassAuth CGIVar QualifyRedirectURL StrictHostCheck ForceType SetHandler SetOutputFilter SetInputFilter AllowEncodedSlashes ScoreBoardFile ExtendedStatus SeeRequestTail PidFile MaxRequestsPerChild MaxConnectionsPerChild CoreDumpDirectory MaxMemFree ThreadStackSize TraceEnable MergeTrailers Protocols ProtocolsHonorOrder HttpProtocolOptions RegisterHttpMethod MergeSlashes",
  "mod_so.c": "LoadModule LoadFile",
  "mod_watchdog.c": "WatchdogInterval",
  "http_core.c": "KeepAliveTimeout MaxKeepAliveRequests KeepAlive",
  "mod_log_config.c": "CustomLog GlobalLog TransferLog LogFormat BufferedLogs",
  "mod_logio.c": "LogIOTrackTTFB",
  "mod_unixd.c": "User Group ChrootDir Suexec",
  "mod_access_compat.c": "order allow deny Satisfy",
  "mod_actions.c": "Action Script",
  "mod_alias.c":
    "Alias ScriptAlias Redirect AliasMatch ScriptAliasMatch RedirectMatch RedirectTemp RedirectPermanent RedirectRelative AliasPreservePath",
  "mod_allowmethods.c": "AllowMethods",
  "mod_auth_basic.c":
    "AuthBasicProvider AuthBasicAuthoritative AuthBasicFake AuthBasicUseDigestAlgorithm",
  "mod_auth_digest.c":
    "AuthDigestProvider AuthDigestQop AuthDigestNonceLifetime AuthDigestNcCheck AuthDigestAlgorithm AuthDigestDomain AuthDigestShmemSize",
  "mod_auth_form.c":
    "AuthFormProvider AuthFormUsername AuthFormPassword AuthFormLocation AuthFormMethod AuthFormMimetype AuthFormBody AuthFormSize AuthFormLoginRequiredLocation AuthFormLoginSuccessLocation AuthFormLogoutLocation AuthFormSitePassphrase AuthFormAuthoritative AuthFormFakeBasicAuth AuthFormDisableNoStore",
  "mod_authn_anon.c":
    "Anonymous Anonymous_MustGiveEmail Anonymous_NoUserId Anonymous_VerifyEmail Anonymous_LogEmail",
  "mod_authn_core.c": "AuthType AuthName",
  "mod_authn_dbd.c": "AuthDBDUserPWQuery AuthDBDUserRealmQuery",
  "mod_authn_dbm.c": "AuthDBMUserFile AuthDBMType",
  "mod_authn_file.c": "AuthUserFile",
  "mod_authn_socache.c":
    "AuthnCacheSOCache AuthnCacheEnable AuthnCacheProvideFor AuthnCacheTimeout AuthnCacheContext",
  "mod_authnz_fcgi.c": "AuthnzFcgiDefineProvider AuthnzFcgiCheckAuthnProvider",
  "mod_authnz_ldap.c":
    "AuthLDAPURL AuthLDAPBindDN AuthLDAPBindPassword AuthLDAPBindAuthoritative AuthLDAPRemoteUserIsDN AuthLDAPRemoteUserAttribute AuthLDAPCompareDNOnServer AuthLDAPSubGroupAttribute AuthLDAPSubGroupClass AuthLDAPMaxSubGroupDepth AuthLDAPGroupAttribute AuthLDAPGroupAttributeIsDN AuthLDAPDereferenceAliases AuthLDAPCharsetConfig AuthLDAPAuthorizePrefix AuthLDAPInitialBindAsUser AuthLDAPInitialBindPattern AuthLDAPSearchAsUser AuthLDAPCompareAsUser",
  "mod_authz_core.c": "Require AuthMerging AuthzSendForbiddenOnFailure",
  "mod_authz_dbd.c": "AuthzDBDLoginToReferer AuthzDBDQuery AuthzDBDRedirectQuery",
  "mod_authz_dbm.c": "AuthDBMGroupFile AuthzDBMType",
  "mod_authz_groupfile.c": "AuthGroupFile",
  "mod_autoindex.c":
    "AddIcon AddIconByType AddIconByEncoding AddAlt AddAltByType AddAltByEncoding IndexOptions IndexOrderDefault IndexIgnore IndexIgnoreReset AddDescription HeaderName ReadmeName FancyIndexing DefaultIcon IndexStyleSheet IndexHeadInsert",
  "mod_brotli.c":
    "BrotliFilterNote BrotliCompressionQuality BrotliCompressionWindow BrotliCompressionMaxInputBlock BrotliAlterETag",
  "mod_buffer.c": "BufferSize",
  "mod_cache.c":
    "CacheEnable CacheDisable CacheMaxExpire CacheMinExpire CacheDefaultExpire CacheQuickHandler CacheIgnoreNoLastMod CacheIgnoreCacheControl CacheStoreExpired CacheStorePrivate CacheStoreNoStore CacheIgnoreHeaders CacheIgnoreQueryString CacheIgnoreURLSessionIdentifiers CacheLastModifiedFactor CacheLock CacheLockPath CacheLockMaxAge CacheHeader CacheDetailHeader CacheKeyBaseURL CacheStaleOnError",
  "mod_cache_disk.c":
    "CacheRoot CacheDirLevels CacheDirLength CacheMinFileSize CacheMaxFileSize CacheReadSize CacheReadTime",
  "mod_cache_socache.c":
    "CacheSocache CacheSocacheMaxTime CacheSocacheMinTime CacheSocacheMaxSize CacheSocacheReadSize CacheSocacheReadTime",
  "mod_case_filter.c": "CaseFilter",
  "mod_case_filter_in.c": "CaseFilterIn",
  "mod_cern_meta.c": "MetaFiles MetaDir MetaSuffix",
  "mod_cgi.c": "ScriptLog ScriptLogLength ScriptLogBuffer CGIScriptTimeout",
  "mod_cgid.c": "ScriptLog ScriptLogLength ScriptLogBuffer ScriptSock CGIDScriptTimeout",
  "mod_charset_lite.c": "CharsetSourceEnc CharsetDefault CharsetOptions",
  "mod_dav.c": "DAV DAVBasePath DAVMinTimeout DAVDepthInfinity DAVLockDiscovery",
  "mod_dav_fs.c": "DAVLockDB",
  "mod_dav_lock.c": "DAVGenericLockDB",
  "mod_dbd.c":
    "DBDriver DBDParams DBDPersist DBDPrepareSQL DBDInitSQL DBDMin DBDKeep DBDMax DBDExptime",
  "mod_deflate.c":
    "DeflateFilterNote DeflateWindowSize DeflateBufferSize DeflateMemLevel DeflateCompressionLevel DeflateInflateLimitRequestBody DeflateInflateRatioLimit DeflateInflateRatioBurst DeflateAlterEtag",
  "mod_dialup.c": "ModemStandard",
  "mod_dir.c":
    "FallbackResource DirectoryIndex DirectorySlash DirectoryCheckHandler DirectoryIndexRedirect",
  "mod_dumpio.c": "DumpIOInput DumpIOOutput",
  "mod_echo.c": "ProtocolEcho",
  "mod_env.c": "PassEnv SetEnv UnsetEnv",
  "mod_expires.c": "ExpiresActive ExpiresByType ExpiresDefault",
  "mod_ext_filter.c": "ExtFilterOptions ExtFilterDefine",
  "mod_file_cache.c": "cachefile mmapfile",
  "mod_filter.c":
    "FilterDeclare FilterProvider FilterChain FilterTrace AddOutputFilterByType FilterProtocol",
  "mod_headers.c": "Header RequestHeader",
  "mod_heartbeat.c": "HeartbeatAddress",
  "mod_heartmonitor.c": "HeartbeatListen HeartbeatStorage HeartbeatMaxServers",
  "mod_http2.c":
    "H2MaxSessionStreams H2WindowSize H2MinWorkers H2MaxWorkers H2MaxWorkerIdleSeconds H2StreamMaxMemSize H2SerializeHeaders H2ModernTLSOnly H2Upgrade H2Direct H2SessionExtraFiles H2TLSWarmUpSize H2TLSCoolDownSecs H2Push H2PushPriority H2PushDiarySize H2CopyFiles H2PushResource H2EarlyHints H2Padding H2OutputBuffering H2StreamTimeout H2MaxDataFrameLen H2MaxHeaderBlockLen H2MaxStreamErrors H2EarlyHint H2ProxyRequests H2WebSockets",
  "mod_ident.c": "IdentityCheck IdentityCheckTimeout",
  "mod_imagemap.c": "ImapMenu ImapDefault ImapBase",
  "mod_include.c":
    "XBitHack SSIErrorMsg SSITimeFormat SSIStartTag SSIEndTag SSIUndefinedEcho SSILegacyExprParser SSILastModified SSIEtag",
  "mod_info.c": "AddModuleInfo",
  "mod_lbmethod_heartbeat.c": "HeartbeatStorage",
  "util_ldap.c":
    "LDAPSharedCacheSize LDAPSharedCacheFile LDAPCacheEntries LDAPCacheTTL LDAPOpCacheEntries LDAPOpCacheTTL LDAPTrustedGlobalCert LDAPTrustedClientCert LDAPTrustedMode LDAPVerifyServerCert LDAPConnectionTimeout LDAPReferrals LDAPReferralHopLimit LDAPLibraryDebug LDAPTimeout LDAPConnectionPoolTTL LDAPRetries LDAPRetryDelay",
  "mod_log_debug.c": "LogMessage",
  "mod_log_forensic.c": "ForensicLog",
  "mod_lua.c":
    "LuaRoot LuaPackagePath LuaPackageCPath LuaAuthzProvider LuaHookPreTranslateName LuaHookTranslateName LuaHookFixups LuaHookMapToStorage LuaHookCheckUserID LuaHookTypeChecker LuaHookAccessChecker LuaHookAuthChecker LuaHookInsertFilter LuaHookLog LuaScope LuaInherit LuaCodeCache LuaQuickHandler Lua_____ByteCodeHack LuaMapHandler LuaOutputFilter LuaInputFilter",
  "mod_macro.c": "Use UndefMacro MacroIgnoreEmptyArgs MacroIgnoreBadNesting",
  "mod_md.c":
    "MDCertificateAuthority MDCertificateAgreement MDCAChallenges MDCertificateProtocol MDContactEmail MDDriveMode MDRenewMode MDomain MDMember MDMembers MDMustStaple MDPortMap MDPrivateKeys MDHttpProxy MDStoreDir MDRenewWindow MDRequireHttps MDNotifyCmd MDBaseServer MDChallengeDns01 MDChallengeDns01Version MDCertificateFile MDCertificateKeyFile MDServerStatus MDCertificateStatus MDWarnWindow MDMessageCmd MDStapling MDStapleOthers MDStaplingKeepResponse MDStaplingRenewWindow MDCertificateCheck MDActivationDelay MDCACertificateFile MDHttpProxyCACertificateFile MDExternalAccountBinding MDRetryDelay MDRetryFailover MDStoreLocks MDMatchNames MDInitialDelay MDCheckInterval MDProfile MDProfileMandatory MDRenewViaARI",
  "mod_mime.c":
    "AddCharset AddEncoding AddHandler AddInputFilter AddLanguage AddOutputFilter AddType DefaultLanguage MultiviewsMatch RemoveCharset RemoveEncoding RemoveHandler RemoveInputFilter RemoveLanguage RemoveOutputFilter RemoveType TypesConfig ModMimeUsePathInfo",
  "mod_mime_magic.c": "MimeMagicFile",
  "mod_negotiation.c": "CacheNegotiatedDocs LanguagePriority ForceLanguagePriority",
  "mod_proxy.c":
    "ProxyRequests ProxyRemote ProxyRemoteMatch ProxyPassInterpolateEnv ProxyPass ProxyPassMatch ProxyPassReverse ProxyPassReverseCookiePath ProxyPassReverseCookieDomain ProxyBlock ProxyReceiveBufferSize ProxyIOBufferSize ProxyMaxForwards NoProxy ProxyDomain ProxyVia ProxyErrorOverride ProxyPreserveHost ProxyTimeout ProxyBadHeader BalancerMember BalancerGrowth BalancerPersist BalancerInherit ProxyPassInherit ProxyStatus ProxySet ProxySourceAddress ProxyAddHeaders Proxy100Continue",
  "mod_proxy_connect.c": "AllowCONNECT",
  "mod_proxy_express.c": "ProxyExpressEnable ProxyExpressDBMFile ProxyExpressDBMType",
  "mod_proxy_fcgi.c": "ProxyFCGIBackendType ProxyFCGISetEnvIf",
  "mod_proxy_ftp.c": "ProxyFtpListOnWildcard ProxyFtpEscapeWildcards ProxyFtpDirCharset",
  "mod_proxy_hcheck.c": "ProxyHCTemplate ProxyHCExpr ProxyHCTPsize",
  "mod_proxy_html.c":
    "ProxyHTMLEvents ProxyHTMLLinks ProxyHTMLURLMap ProxyHTMLDoctype ProxyHTMLFixups ProxyHTMLMeta ProxyHTMLInterp ProxyHTMLExtended ProxyHTMLStripComments ProxyHTMLBufSize ProxyHTMLCharsetOut ProxyHTMLEnable",
  "mod_proxy_scgi.c": "ProxySCGISendfile ProxySCGIInternalRedirect",
  "mod_proxy_wstunnel.c": "ProxyWebsocketFallbackToProxyHttp",
  "mod_reflector.c": "ReflectorHeader",
  "mod_remoteip.c":
    "RemoteIPHeader RemoteIPProxiesHeader RemoteIPTrustedProxy RemoteIPInternalProxy RemoteIPTrustedProxyList RemoteIPInternalProxyList RemoteIPProxyProtocol RemoteIPProxyProtocolExceptions",
  "mod_reqtimeout.c": "RequestReadTimeout",
  "mod_request.c": "KeptBodySize",
  "mod_rewrite.c": "RewriteEngine RewriteOptions RewriteBase RewriteCond RewriteRule RewriteMap",
  "mod_sed.c": "OutputSed InputSed",
  "mod_session.c":
    "Session SessionMaxAge SessionHeader SessionEnv SessionInclude SessionExclude SessionExpiryUpdateInterval",
  "mod_session_cookie.c": "SessionCookieName SessionCookieName2 SessionCookieRemove",
  "mod_session_crypto.c":
    "SessionCryptoPassphrase SessionCryptoPassphraseFile SessionCryptoCipher SessionCryptoDriver",
  "mod_session_dbd.c":
    "SessionDBDSelectLabel SessionDBDInsertLabel SessionDBDUpdateLabel SessionDBDDeleteLabel SessionDBDPerUser SessionDBDCookieRemove SessionDBDCookieName SessionDBDCookieName2",
  "mod_setenvif.c": "SetEnvIf SetEnvIfNoCase SetEnvIfExpr BrowserMatch BrowserMatchNoCase",
  "mod_socache_memcache.c": "MemcacheConnTTL",
  "mod_socache_redis.c": "RedisConnPoolTTL RedisTimeout",
  "mod_speling.c": "CheckSpelling CheckCaseOnly CheckBasenameMatch",
  "mod_ssl.c":
    "SSLPassPhraseDialog SSLSessionCache SSLCryptoDevice SSLRandomSeed SSLVHostSNIPolicy SSLEngine SSLFIPS SSLCipherSuite SSLCertificateFile SSLCertificateKeyFile SSLCertificateChainFile SSLSessionTicketKeyFile SSLCACertificatePath SSLCACertificateFile SSLCADNRequestPath SSLCADNRequestFile SSLCARevocationPath SSLCARevocationFile SSLCARevocationCheck SSLVerifyClient SSLVerifyDepth SSLSessionCacheTimeout SSLProtocol SSLHonorCipherOrder SSLCompression SSLSessionTickets SSLInsecureRenegotiation SSLUserName SSLStrictSNIVHostCheck SSLSRPVerifierFile SSLSRPUnknownUserSeed SSLProxyEngine SSLProxyProtocol SSLProxyCipherSuite SSLProxyVerify SSLProxyVerifyDepth SSLProxyCACertificateFile SSLProxyCACertificatePath SSLProxyCARevocationPath SSLProxyCARevocationFile SSLProxyCARevocationCheck SSLProxyMachineCertificateFile SSLProxyMachineCertificatePath SSLProxyMachineCertificateChainFile SSLProxyCheckPeerExpire SSLProxyCheckPeerCN SSLProxyCheckPeerName SSLOptions SSLRequireSSL SSLRequire SSLRenegBufferSize SSLOCSPEnable SSLOCSPDefaultResponder SSLOCSPOverrideResponder SSLOCSPResponseTimeSkew SSLOCSPResponseMaxAge SSLOCSPResponderTimeout SSLOCSPUseRequestNonce SSLOCSPProxyURL SSLOCSPNoVerify SSLOCSPResponderCertificateFile SSLStaplingCache SSLUseStapling SSLStaplingResponseTimeSkew SSLStaplingResponderTimeout SSLStaplingResponseMaxAge SSLStaplingStandardCacheTimeout SSLStaplingReturnResponderErrors SSLStaplingFakeTryLater SSLStaplingErrorCacheTimeout SSLStaplingForceURL SSLOpenSSLConfCmd SSLLog SSLLogLevel",
  "mod_substitute.c": "Substitute SubstituteMaxLineLength SubstituteInheritBefore",
  "mod_suexec.c": "SuexecUserGroup",
  "mod_userdir.c": "UserDir",
  "mod_usertrack.c":
    "CookieExpires CookieDomain CookieStyle CookieTracking CookieName CookieSameSite CookieSecure CookieHttpOnly",
  "mod_vhost_alias.c":
    "VirtualScriptAlias VirtualDocumentRoot VirtualScriptAliasIP VirtualDocumentRootIP",
  "mod_xml2enc.c": "xml2EncDefault xml2EncAlias xml2StartParse",
  "event.c":
    "ListenBacklog ListenCoresBucketsRatio Listen SendBufferSize ReceiveBufferSize ListenTCPDeferAccept StartServers ServerLimit MinSpareThreads MaxSpareThreads MaxClients MaxRequestWorkers ThreadsPerChild ThreadLimit AsyncRequestWorkerFactor GracefulShutdownTimeout",
};

/** Every directive of httpd's own modules, lower-cased (httpd reads names without case). */
export const HTTPD_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(
  Object.values(BY_SOURCE).flatMap((names) => names.toLowerCase().split(" ")),
);

/** The same, spelled as httpd's manual spells them, for "did you mean" hints. */
export const HTTPD_DIRECTIVE_SPELLINGS: readonly string[] = Object.values(BY_SOURCE).flatMap((
  names,
) => names.split(" "));

/** The identifiers of httpd's own modules (`LoadModule` names them), as Debian ships them. */
export const HTTPD_MODULE_IDS: ReadonlySet<string> = new Set(
  "access_compat_module actions_module alias_module allowmethods_module asis_module auth_basic_module auth_digest_module auth_form_module authn_anon_module authn_core_module authn_dbd_module authn_dbm_module authn_file_module authn_socache_module authnz_fcgi_module authnz_ldap_module authz_core_module authz_dbd_module authz_dbm_module authz_groupfile_module authz_host_module authz_owner_module authz_user_module autoindex_module brotli_module bucketeer_module buffer_module cache_disk_module cache_module cache_socache_module case_filter_in_module case_filter_module cern_meta_module cgi_module cgid_module charset_lite_module data_module dav_fs_module dav_lock_module dav_module dbd_module deflate_module dialup_module dir_module dumpio_module echo_module env_module expires_module ext_filter_module file_cache_module filter_module headers_module heartbeat_module heartmonitor_module http2_module ident_module imagemap_module include_module info_module lbmethod_bybusyness_module lbmethod_byrequests_module lbmethod_bytraffic_module lbmethod_heartbeat_module ldap_module log_debug_module log_forensic_module lua_module macro_module md_module mime_magic_module mime_module mpm_event_module mpm_prefork_module mpm_worker_module negotiation_module proxy_ajp_module proxy_balancer_module proxy_connect_module proxy_express_module proxy_fcgi_module proxy_fdpass_module proxy_ftp_module proxy_hcheck_module proxy_html_module proxy_http2_module proxy_http_module proxy_module proxy_scgi_module proxy_uwsgi_module proxy_wstunnel_module ratelimit_module reflector_module remoteip_module reqtimeout_module request_module rewrite_module sed_module session_cookie_module session_crypto_module session_dbd_module session_module setenvif_module slotmem_plain_module slotmem_shm_module socache_dbm_module socache_memcache_module socache_redis_module socache_shmcb_module speling_module ssl_module status_module substitute_module suexec_module unique_id_module userdir_module usertrack_module vhost_alias_module xml2enc_module"
    .split(" "),
);
