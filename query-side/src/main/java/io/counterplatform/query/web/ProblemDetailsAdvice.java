package io.counterplatform.query.web;

import io.counterplatform.support.problem.ProblemDetailsSupport;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The one place where failures become statuses; the query side needs nothing beyond the shared mapping. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ProblemDetailsSupport {}
