export const id = 977;
export const ids = [977];
export const modules = {

/***/ 4977:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KeyValueRedirectStore: () => (/* binding */ KeyValueRedirectStore),
/* harmony export */   createRedirectStoreClient: () => (/* binding */ createRedirectStoreClient)
/* harmony export */ });
/* unused harmony exports UPDATE_KEYS_LIMITS, LIST_KEYS_PAGE, updateBatches, describeRedirectStoreError */
/* harmony import */ var _aws_sdk_signature_v4a__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9493);
/* harmony import */ var _aws_sdk_client_cloudfront_keyvaluestore__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3825);
/* harmony import */ var _pipeline_redirects_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9259);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);
/* harmony import */ var _shared_redirect_rules_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6391);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(133);
/* harmony import */ var _user_agent_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(453);
// The pure-JavaScript SigV4a signer. The KeyValueStore API is global and only takes SigV4a signatures
// (region set `*`); the SDK signs with the native CRT module when it is loaded, else with this package,
// registered by importing it. It keeps the bundle one JavaScript file: no native `.node` addon.







/**
 * What one UpdateKeys call may carry: 50 keys (puts and deletes together) or a 3 MB payload, whichever comes
 * first (AWS's default quota, as the AWS provider's aws_cloudfrontkeyvaluestore_keys_exclusive documents it).
 * The payload is counted as the JSON body's bytes, with room to spare.
 */
const UPDATE_KEYS_LIMITS = { keys: 50, payloadBytes: 3_000_000 };
/** ListKeys returns at most 50 items a page (its MaxResults: "the default is 10 and maximum allowed page is 50"). */
const LIST_KEYS_PAGE = 50;
/** Pages a listing may take: a 5 MB store holds at most ~2.5 million one-byte-key entries. */
const MAX_PAGES = 60_000;
/**
 * The KeyValueStore client: global, its API in us-east-1's partition, adaptive retries. The SDK derives the
 * endpoint from the store's ARN (`https://<account>.cloudfront-kvs.global.api.aws`); `endpointUrl` replaces it
 * as it is (a loopback stand-in in tests), signatures still SigV4a.
 */
function createRedirectStoreClient(options = {}) {
    const { endpointUrl, ...config } = options;
    return new _aws_sdk_client_cloudfront_keyvaluestore__WEBPACK_IMPORTED_MODULE_5__/* .CloudFrontKeyValueStoreClient */ .zZ({
        region: 'us-east-1',
        retryMode: 'adaptive',
        maxAttempts: 6,
        customUserAgent: _user_agent_js__WEBPACK_IMPORTED_MODULE_6__/* .USER_AGENT */ ._,
        ...(endpointUrl ? { endpointProvider: () => ({ url: new URL(endpointUrl) }) } : {}),
        ...config,
    });
}
/** UpdateKeys calls for these changes, puts first, each within UPDATE_KEYS_LIMITS. */
function updateBatches(put, del, limits = UPDATE_KEYS_LIMITS) {
    const items = [
        ...put.map((p) => ({ put: { Key: p.key, Value: p.value } })),
        ...del.map((key) => ({ del: { Key: key } })),
    ];
    const batches = [];
    let current = { Puts: [], Deletes: [] };
    // `{"Puts":[],"Deletes":[]}` plus, per item, its JSON and a comma.
    const EMPTY = Buffer.byteLength(JSON.stringify(current));
    let bytes = EMPTY;
    let count = 0;
    for (const item of items) {
        const size = Buffer.byteLength(JSON.stringify('put' in item ? item.put : item.del)) + 1;
        if (count > 0 && (count + 1 > limits.keys || bytes + size > limits.payloadBytes)) {
            batches.push(current);
            current = { Puts: [], Deletes: [] };
            bytes = EMPTY;
            count = 0;
        }
        if ('put' in item)
            current.Puts.push(item.put);
        else
            current.Deletes.push(item.del);
        bytes += size;
        count += 1;
    }
    if (count > 0)
        batches.push(current);
    return batches;
}
/** The redirect store on a CloudFront KeyValueStore. Errors name the store and 'redirect-store-arn'. */
class KeyValueRedirectStore {
    client;
    storeArn;
    input;
    constructor(client, storeArn, options = {}) {
        this.client = client;
        this.storeArn = storeArn;
        this.input = options.input ?? _pipeline_redirects_js__WEBPACK_IMPORTED_MODULE_1__/* .REDIRECT_STORE_INPUT */ .G;
        if (!_shared_redirect_rules_js__WEBPACK_IMPORTED_MODULE_3__/* .KEY_VALUE_STORE_ARN */ .OG.test(storeArn)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(this.input, `'${storeArn}' is not a CloudFront key value store ARN (arn:aws:cloudfront::<account>:key-value-store/<id>, the Terraform output key_value_store_arn).`);
        }
    }
    /**
     * The ETag first (DescribeKeyValueStore), then every key (ListKeys, 50 a page): the ETag is never newer than
     * the listing, so a write made in between fails the update's If-Match instead of being overwritten unseen.
     */
    async read() {
        const described = await this.send('DescribeKeyValueStore', () => this.client.send(new _aws_sdk_client_cloudfront_keyvaluestore__WEBPACK_IMPORTED_MODULE_5__/* .DescribeKeyValueStoreCommand */ .wC({ KvsARN: this.storeArn })));
        if (described.Status && described.Status !== 'READY') {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`CloudFront KeyValueStore ${this.storeArn} is ${described.Status}${described.FailureReason ? ` (${described.FailureReason})` : ''}, not READY: re-run once it is.`, 'NotReady');
        }
        if (!described.ETag)
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7('CloudFront KeyValueStore answered without an ETag', 'NoETag');
        const entries = new Map();
        let token;
        const tokens = new Set();
        for (let page = 0;; page++) {
            if (page >= MAX_PAGES)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`listing ${this.storeArn} did not end`, 'EndlessListing');
            const listed = await this.send('ListKeys', () => this.client.send(new _aws_sdk_client_cloudfront_keyvaluestore__WEBPACK_IMPORTED_MODULE_5__/* .ListKeysCommand */ .Q4({ KvsARN: this.storeArn, MaxResults: LIST_KEYS_PAGE, NextToken: token })));
            for (const item of listed.Items ?? []) {
                if (item.Key !== undefined && item.Value !== undefined)
                    entries.set(item.Key, item.Value);
            }
            token = listed.NextToken || undefined;
            if (!token)
                break;
            if (tokens.has(token))
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`listing ${this.storeArn} repeated a page`, 'EndlessListing');
            tokens.add(token);
        }
        return { etag: described.ETag, entries };
    }
    /**
     * UpdateKeys in batches of at most 50 keys (puts first), each conditional on the ETag the previous one left.
     * A ConflictException (or a 412) means another writer moved the store on: RedirectStoreConflict, which the
     * sync answers by reading again.
     */
    async update(etag, put, del) {
        let current = etag;
        for (const batch of updateBatches(put, del)) {
            const response = await this.send('UpdateKeys', () => this.client.send(new _aws_sdk_client_cloudfront_keyvaluestore__WEBPACK_IMPORTED_MODULE_5__/* .UpdateKeysCommand */ .jB({
                KvsARN: this.storeArn,
                IfMatch: current,
                ...(batch.Puts.length > 0 ? { Puts: batch.Puts } : {}),
                ...(batch.Deletes.length > 0 ? { Deletes: batch.Deletes } : {}),
            })));
            if (!response.ETag)
                throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7('CloudFront KeyValueStore answered UpdateKeys without an ETag', 'NoETag');
            current = response.ETag;
        }
        return current;
    }
    async send(action, call) {
        try {
            return await call();
        }
        catch (error) {
            const code = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorCode */ .CA)(error);
            const status = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .httpStatus */ .nG)(error);
            if (action === 'UpdateKeys' && (code === 'ConflictException' || status === 409 || status === 412)) {
                throw new _pipeline_redirects_js__WEBPACK_IMPORTED_MODULE_1__/* .RedirectStoreConflict */ .KE(`${code}${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error) ? `: ${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error)}` : ''}`);
            }
            throw describeRedirectStoreError(error, action, this.storeArn, this.input);
        }
    }
}
/**
 * A CloudFront KeyValueStore error (the redirect store): names the store and the input that names it
 * (`redirect-store-arn`), and for a refusal the action and the policy to grant it in.
 */
function describeRedirectStoreError(error, action, storeArn, input = 'redirect-store-arn') {
    const code = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorCode */ .CA)(error);
    const status = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .httpStatus */ .nG)(error);
    let advice;
    if (_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .REJECTED_CREDENTIALS */ .m1.has(code)) {
        advice =
            'the AWS credentials were rejected: check the access key / secret, or the role that aws-actions/configure-aws-credentials assumes.';
    }
    else if (code === 'ResourceNotFoundException' || status === 404) {
        advice = `the key value store does not exist in this account: check input '${input}' (the Terraform output key_value_store_arn).`;
    }
    else if (code === 'AccessDeniedException' || code === 'AccessDenied' || status === 403) {
        advice = `access denied: the credentials need cloudfront-keyvaluestore:${action} on ${storeArn} (see examples/iam/deploy-policy.json), or '${input}' names another site's store.`;
    }
    else if (code === 'ServiceQuotaExceededException' || status === 402) {
        advice = `the store is full (a CloudFront key value store holds at most 5 MB): redirect whole directories with splat rules (/old/* /new/:splat).${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error) ? ` ${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error)}` : ''}`;
    }
    else if (code === 'ValidationException') {
        advice = `the request was refused as invalid${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error) ? `: ${(0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error)}` : ''} (check input '${input}').`;
    }
    else if (_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .NETWORK */ .pG.has(code)) {
        advice = `cannot reach the CloudFront KeyValueStore API (${code}): check the network.`;
    }
    else {
        const detail = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceDetail */ .NK)(error);
        advice = `${code}${status ? ` (HTTP ${status})` : ''}${detail && detail !== code ? `: ${detail}` : ''}`;
    }
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`CloudFront KeyValueStore ${action} on ${storeArn} failed: ${advice}`, code, {
        cause: error,
    });
}


/***/ })

};

//# sourceMappingURL=977.index.js.map