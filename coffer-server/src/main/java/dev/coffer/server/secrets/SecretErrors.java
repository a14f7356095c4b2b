package dev.coffer.server.secrets;

import static dev.coffer.server.error.ErrorCode.InvalidParameterException;
import static dev.coffer.server.error.ErrorCode.InvalidRequestException;
import static dev.coffer.server.error.ErrorCode.ResourceExistsException;
import static dev.coffer.server.error.ErrorCode.ResourceNotFoundException;
import static dev.coffer.server.error.ErrorCode.ValidationException;

import dev.coffer.server.error.ServiceException;

/**
 * Secrets Manager's error messages, word for word as AWS sends them (see
 * aws-behaviour.md). One place, so the wording cannot drift between operations.
 */
final class SecretErrors {
    private SecretErrors() {}

    static ServiceException secretNotFound() {
        return new ServiceException(ResourceNotFoundException, "Secrets Manager can't find the specified secret.");
    }

    static ServiceException valueNotFoundForStage(String stage) {
        return new ServiceException(ResourceNotFoundException,
                "Secrets Manager can't find the specified secret value for staging label: " + stage);
    }

    static ServiceException valueNotFoundForVersion(String versionId) {
        return new ServiceException(ResourceNotFoundException,
                "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
    }

    static ServiceException stageNotOnVersion() {
        return new ServiceException(InvalidRequestException,
                "You provided a VersionStage that is not associated to the provided VersionId.");
    }

    static ServiceException alreadyExists(String name) {
        return new ServiceException(ResourceExistsException, "The operation failed because the secret " + name + " already exists.");
    }

    static ServiceException nameScheduledForDeletion() {
        return new ServiceException(InvalidRequestException,
                "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }

    static ServiceException tokenInUse(String token, String arn) {
        return new ServiceException(ResourceExistsException, "You can't use ClientRequestToken " + token
                + " because that value is already in use for a version of secret " + arn + ".");
    }

    static ServiceException tokenRequired() {
        return new ServiceException(InvalidRequestException,
                "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
    }

    static ServiceException markedForDeletion() {
        return new ServiceException(InvalidRequestException,
                "You can't perform this operation on the secret because it was marked for deletion.");
    }

    static ServiceException alreadyMarkedDeleted() {
        return new ServiceException(InvalidRequestException,
                "You tried to perform the operation on a secret that's currently marked deleted.");
    }

    static ServiceException invalidName() {
        return new ServiceException(ValidationException,
                "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
    }

    static ServiceException bothValueKinds() {
        return new ServiceException(InvalidParameterException,
                "You can't specify both a binary secret value and a string secret value in the same secret.");
    }

    static ServiceException replicaIsReadOnly() {
        return new ServiceException(InvalidRequestException,
                "Operation not permitted on a replica secret. Call must be made in primary secret's region.");
    }

    static ServiceException invalidParameter(String message) {
        return new ServiceException(InvalidParameterException, message);
    }

    static ServiceException invalidRequest(String message) {
        return new ServiceException(InvalidRequestException, message);
    }
}
