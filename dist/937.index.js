export const id = 937;
export const ids = [937];
export const modules = {

/***/ 7937:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubReporter: () => (/* binding */ GitHubReporter)
/* harmony export */ });
/* unused harmony export GITHUB_ACTIONS_BOT */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2785);

/** The author of what the workflow's GITHUB_TOKEN writes. */
const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
function statusOf(error) {
    return error.status;
}
function payloadOf(raw) {
    if (typeof raw === 'string') {
        try {
            return JSON.parse(raw);
        }
        catch {
            return {};
        }
    }
    return (raw ?? {});
}
/**
 * GitHub deployments and the preview comment. Every call is best effort: a token without the permission
 * gets a warning that names it, and the deploy itself never fails because of GitHub.
 */
class GitHubReporter {
    octokit;
    warn;
    repo;
    login;
    constructor(octokit, repository, 
    /** Where warnings go: the runner's annotations, or the terminal of a local run. */
    warn) {
        this.octokit = octokit;
        this.warn = warn;
        const [owner = '', repo = ''] = repository.split('/');
        this.repo = { owner, repo };
    }
    static create(token, repository, warn) {
        return new GitHubReporter(_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q(token), repository, warn);
    }
    async tolerate(permission, what, call) {
        try {
            return await call();
        }
        catch (error) {
            const status = statusOf(error);
            if (status === 403 || status === 404) {
                this.warn(`Could not ${what}: the token lacks the '${permission}' permission. Add \`permissions: ${permission}\` to the job (the deploy itself is not affected).`);
            }
            else {
                this.warn(`Could not ${what}: ${error.message} (the deploy itself is not affected).`);
            }
            return undefined;
        }
    }
    /** Records a deployment of `target` and marks it in progress; its ID, or undefined when not allowed. */
    async startDeployment(target, logUrl) {
        return this.tolerate('deployments: write', 'record a GitHub deployment', async () => {
            const preview = target.pullRequest !== undefined;
            const { data } = await this.octokit.rest.repos.createDeployment({
                ...this.repo,
                ref: target.ref,
                environment: target.environment,
                description: preview
                    ? `Preview of pull request #${target.pullRequest.number}`
                    : `Deploy of ${target.ref.slice(0, 7)}`,
                auto_merge: false,
                required_contexts: [],
                transient_environment: preview,
                production_environment: !preview,
                payload: { prefix: target.prefix, pull_request: target.pullRequest?.number ?? null },
            });
            if (!('id' in data))
                throw new Error(data.message ?? 'no deployment was created');
            await this.octokit.rest.repos.createDeploymentStatus({
                ...this.repo,
                deployment_id: data.id,
                state: 'in_progress',
                log_url: logUrl,
            });
            return data.id;
        });
    }
    /**
     * Success or failure, with the URL to visit. Previews of different pull requests share one environment,
     * so a preview does not mark the others inactive; a production deploy supersedes the previous one.
     */
    async finishDeployment(id, target, state, environmentUrl, logUrl) {
        await this.tolerate('deployments: write', 'update the GitHub deployment', async () => {
            await this.octokit.rest.repos.createDeploymentStatus({
                ...this.repo,
                deployment_id: id,
                state,
                environment_url: state === 'success' ? environmentUrl : undefined,
                log_url: logUrl,
                auto_inactive: target.pullRequest === undefined,
            });
        });
    }
    /** Marks every deployment of this pull request's preview inactive (it was removed). */
    async deactivatePreview(target) {
        const number = target.pullRequest?.number;
        if (number === undefined)
            return 0;
        const count = await this.tolerate('deployments: write', 'mark the preview deployments inactive', async () => {
            const deployments = await this.octokit.paginate(this.octokit.rest.repos.listDeployments, {
                ...this.repo,
                environment: target.environment,
                per_page: 100,
            });
            const ours = deployments.filter((deployment) => payloadOf(deployment.payload).pull_request === number);
            for (const deployment of ours) {
                await this.octokit.rest.repos.createDeploymentStatus({
                    ...this.repo,
                    deployment_id: deployment.id,
                    state: 'inactive',
                });
            }
            return ours.length;
        });
        return count ?? 0;
    }
    /**
     * The login the token comments as. A personal access token: its user, from `GET /user`. An installation
     * token — the workflow's GITHUB_TOKEN, or a GitHub App's — is refused there; it writes as its app's bot,
     * `<viewer>[bot]` where GraphQL's `viewer` names the app (`github-actions` for the GITHUB_TOKEN), and
     * `github-actions[bot]` when that cannot be asked either.
     */
    async identity() {
        this.login ??= this.octokit.rest.users.getAuthenticated().then(({ data }) => data.login, async (error) => {
            const status = statusOf(error);
            if (status !== 403 && status !== 401 && status !== 404)
                throw error;
            try {
                const { viewer } = await this.octokit.graphql('query { viewer { login } }');
                return `${viewer.login.replace(/\[bot\]$/, '')}[bot]`;
            }
            catch {
                return GITHUB_ACTIONS_BOT;
            }
        });
        return this.login;
    }
    /**
     * Creates the comment with this marker on the pull request, or edits it in place when it exists. Only a
     * comment written by the token's own identity counts: anyone can post a comment holding the marker, and
     * such a comment is never edited (a new one is posted instead).
     */
    async upsertComment(number, marker, body) {
        await this.tolerate('pull-requests: write', 'comment on the pull request', async () => {
            const self = await this.identity();
            const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
                ...this.repo,
                issue_number: number,
                per_page: 100,
            });
            const existing = comments.find((comment) => comment.user?.login === self && comment.body?.includes(marker));
            if (existing)
                await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: existing.id, body });
            else
                await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: number, body });
        });
    }
}


/***/ })

};

//# sourceMappingURL=937.index.js.map