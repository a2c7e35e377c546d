export const id = 842;
export const ids = [842];
export const modules = {

/***/ 2842:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudFrontCdn: () => (/* binding */ CloudFrontCdn),
/* harmony export */   createCloudFrontClient: () => (/* binding */ createCloudFrontClient)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3169);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(133);
/* harmony import */ var _user_agent_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(453);



/** CloudFront is global; its API lives in us-east-1. AWS_ENDPOINT_URL_CLOUDFRONT redirects it (tests do). */
function createCloudFrontClient() {
    return new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_1__/* .CloudFrontClient */ .GHk({
        region: 'us-east-1',
        retryMode: 'adaptive',
        maxAttempts: 6,
        customUserAgent: _user_agent_js__WEBPACK_IMPORTED_MODULE_2__/* .USER_AGENT */ ._,
    });
}
/** The pipeline's CDN, on one CloudFront distribution. Errors name the distribution and 'distribution-id'. */
class CloudFrontCdn {
    client;
    distributionId;
    maxWaitSeconds;
    constructor(client, distributionId, maxWaitSeconds = 900) {
        this.client = client;
        this.distributionId = distributionId;
        this.maxWaitSeconds = maxWaitSeconds;
    }
    /** One CreateInvalidation; returns its ID. */
    async invalidate(paths, callerReference) {
        let id;
        try {
            const response = await this.client.send(new _aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_1__/* .CreateInvalidationCommand */ .Yo6({
                DistributionId: this.distributionId,
                InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
            }));
            id = response.Invalidation?.Id;
        }
        catch (error) {
            throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeCloudFrontError */ .mV)(error, 'CreateInvalidation', this.distributionId);
        }
        if (!id)
            throw new Error('CloudFront answered CreateInvalidation without an invalidation ID');
        return id;
    }
    /** Polls until CloudFront reports the invalidation Completed (usually well under a minute). */
    async waitFor(invalidationId) {
        try {
            // The waiter throws on timeout (and refuses a maxWaitTime not above minDelay).
            await (0,_aws_sdk_client_cloudfront__WEBPACK_IMPORTED_MODULE_1__/* .waitUntilInvalidationCompleted */ .pgE)({ client: this.client, maxWaitTime: this.maxWaitSeconds, minDelay: 5, maxDelay: 30 }, { DistributionId: this.distributionId, Id: invalidationId });
        }
        catch (error) {
            const state = error.state;
            if (state === 'TIMEOUT' || state === 'ABORTED' || error.name === 'TimeoutError') {
                throw new Error(`invalidation ${invalidationId} is not Completed after ${this.maxWaitSeconds} s; it goes on in CloudFront.`, { cause: error });
            }
            throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeCloudFrontError */ .mV)(error, 'GetInvalidation', this.distributionId);
        }
    }
}


/***/ })

};

//# sourceMappingURL=842.index.js.map