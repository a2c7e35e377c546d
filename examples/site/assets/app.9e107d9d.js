document.documentElement.dataset.deployedBy = 'parlai-site-deploy';
