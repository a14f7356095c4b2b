package dev.coffer.server.error;

/**
 * The error codes Coffer answers with, named exactly as AWS names them on the wire
 * ({@code __type}). Services pick a code; the protocol codec decides the HTTP status
 * ({@code dev.coffer.server.protocol.ErrorCatalogue}), so no service knows about HTTP.
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

    // Authentication (SigV4)
    MissingAuthenticationTokenException,
    IncompleteSignatureException,
    InvalidSignatureException,
    UnrecognizedClientException,
    ExpiredTokenException,

    // STS web identity (Query protocol codes)
    InvalidIdentityToken,
    IDPCommunicationError,
    PackedPolicyTooLarge,
    ValidationError,
}
