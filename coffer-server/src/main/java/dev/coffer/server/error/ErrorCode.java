package dev.coffer.server.error;

/**
 * The error codes Coffer answers with, named exactly as AWS names them on the wire
 * ({@code __type} in JSON, {@code <Code>} in Query XML). Services pick a code; the protocol
 * codec decides the HTTP status ({@code dev.coffer.server.protocol.ErrorCatalogue} for JSON,
 * the service model's error shapes for Query), so no service knows about HTTP. The codes
 * common to every service (authentication, validation, unknown operation) are named here as
 * JSON services name them; the Query codec renames them to the Query spelling
 * ({@code UnrecognizedClientException} becomes {@code InvalidClientTokenId}, and so on).
 */
public enum ErrorCode {
    // Secrets Manager's modelled exceptions
    ResourceNotFoundException,
    ResourceExistsException,
    InvalidParameterException,
    InvalidRequestException,
    InvalidNextTokenException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    PublicPolicyException,
    PreconditionNotMetException,
    DecryptionFailure,
    EncryptionFailure,
    InternalServiceError,

    // Common to every AWS JSON service (Coral framework errors)
    ValidationException,
    SerializationException,
    UnknownOperationException,
    AccessDeniedException,
    ThrottlingException,
    RequestEntityTooLargeException,
    /** AWS's common 503 ("a temporary failure of the server"): here, the node cannot reach its database. SDKs retry it. */
    ServiceUnavailable,

    // Authentication (SigV4)
    MissingAuthenticationTokenException,
    IncompleteSignatureException,
    InvalidSignatureException,
    UnrecognizedClientException,
    ExpiredTokenException,

    // IAM's modelled errors (Query protocol; status from the model's error shapes)
    NoSuchEntity,
    EntityAlreadyExists,
    LimitExceeded,
    MalformedPolicyDocument,
    DeleteConflict,
    InvalidInput,
    UnmodifiableEntity,
    ConcurrentModification,
    PolicyNotAttachable,
    ServiceFailure,

    // Organizations (JSON 1.1)
    AccountNotFoundException,
    CreateAccountStatusNotFoundException,
    InvalidInputException,

    // CloudTrail (JSON 1.1)
    InvalidLookupAttributesException,
    InvalidTimeRangeException,
    InvalidMaxResultsException,
    InvalidEventCategoryException,

    // STS (Query protocol codes)
    InvalidIdentityToken,
    IDPCommunicationError,
    IDPRejectedClaim,
    PackedPolicyTooLarge,
    /** A web-identity token past its expiry: STS's modelled ExpiredTokenException, not the ExpiredToken of an expired session. */
    ExpiredWebIdentityToken("ExpiredTokenException");

    private final String wireName;

    ErrorCode() {
        this.wireName = null;
    }

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code on the wire: the constant's name, unless two AWS errors share a name across protocols. */
    public String wireName() {
        return wireName != null ? wireName : name();
    }
}
