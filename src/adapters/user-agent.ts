/** What every AWS request of this action says it comes from (S3 access logs, CloudTrail). */
export const USER_AGENT = 'parlai-site-deploy/1';
