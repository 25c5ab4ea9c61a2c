"""Files beside the pages for trade promotion: sitemap and robots.txt, the Atom feed,
open data, QR codes and the service worker, each a pure function of the catalogue
returning (site path, bytes) pairs; the build makes each as a job keyed by its inputs."""
